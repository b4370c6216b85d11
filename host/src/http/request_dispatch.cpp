#include "http/request_dispatch.hpp"

#include <Poco/String.h>

#include "http/response_writer.hpp"
#include "log_escape.hpp"

namespace micro_order::host {

Request makeRequest(boost::beast::http::request<boost::beast::http::string_body>& message, RequestTarget target,
                    std::map<std::string, std::string> pathParams, const std::string& baseUrl) {
    Request request;
    request.method.assign(message.method_string().data(), message.method_string().size());
    request.path = std::move(target.path);
    request.pathParams = std::move(pathParams);
    request.query = std::move(target.query);
    for (const auto& field : message) {
        std::string name(field.name_string().data(), field.name_string().size());
        Poco::toLowerInPlace(name);
        request.headers[std::move(name)].assign(field.value().data(), field.value().size());
    }
    if (const auto type = message.find(boost::beast::http::field::content_type); type != message.end()) {
        const auto value = type->value();
        std::string media(value.data(), std::min(value.size(), value.find(';')));
        Poco::trimInPlace(media);
        Poco::toLowerInPlace(media);
        request.contentType = std::move(media);
    }
    request.body = std::move(message.body());
    request.baseUrl = baseUrl;
    return request;
}

Response callHandler(const Handler& handler, const Request& request, Poco::Logger& logger) {
    try {
        return handler(request);
    } catch (const HttpError& error) {
        return error.body().empty() ? detailResponse(error.status(), error.what())
                                    : Response::json(error.status(), error.body());
    } catch (const std::exception& error) {
        logger.error("%s %s failed: %s", escapeForLog(request.method), escapeForLog(request.path),
                     escapeForLog(error.what(), kLogReasonMaxBytes));
    } catch (...) {
        logger.error("%s %s failed with an unknown exception", escapeForLog(request.method),
                     escapeForLog(request.path));
    }
    return detailResponse(500, "Internal server error.");
}

}  // namespace micro_order::host
