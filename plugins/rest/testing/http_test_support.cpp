#include "rest/testing/http_test_support.hpp"

#include <stdexcept>

namespace micro_order::rest::testing {

Request postJson(const std::string& path, std::string body, std::string contentType) {
    Request request;
    request.method = "POST";
    request.path = path;
    request.body = std::move(body);
    request.contentType = std::move(contentType);
    return request;
}

Request get(const std::string& path, QueryList query, std::map<std::string, std::string> pathParams) {
    Request request;
    request.method = "GET";
    request.path = path;
    request.query = std::move(query);
    request.pathParams = std::move(pathParams);
    return request;
}

ThrownError httpErrorOf(const std::function<void()>& call) {
    try {
        call();
    } catch (const HttpError& error) {
        return {error.status(), error.what(), error.body()};
    }
    return {};
}

std::vector<std::string> RecordingRouter::routes() const {
    std::vector<std::string> names;
    for (const auto& route : routes_) {
        names.push_back(route.name);
    }
    return names;
}

Response RecordingRouter::call(const std::string& route, const Request& request) const {
    for (const auto& recorded : routes_) {
        if (recorded.name == route) {
            return recorded.handler(request);
        }
    }
    throw std::out_of_range("no route " + route);
}

RouteOptions RecordingRouter::options(const std::string& route) const {
    for (const auto& recorded : routes_) {
        if (recorded.name == route) {
            return recorded.options;
        }
    }
    throw std::out_of_range("no route " + route);
}

}  // namespace micro_order::rest::testing
