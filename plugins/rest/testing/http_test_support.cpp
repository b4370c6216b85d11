#include "rest/testing/http_test_support.hpp"

#include <stdexcept>

namespace micro_order::rest::testing {

Request postJson(const std::string& path, std::string body, std::string contentType) {
    Request request;
    request.method = "POST";
    request.path = path;
    request.body = std::move(body);
    request.contentType = std::move(contentType);
    request.baseUrl = "http://127.0.0.1:8000";
    return request;
}

Request get(const std::string& path, QueryList query, std::map<std::string, std::string> pathParams) {
    Request request;
    request.method = "GET";
    request.path = path;
    request.query = std::move(query);
    request.pathParams = std::move(pathParams);
    request.baseUrl = "http://127.0.0.1:8000";
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
        names.push_back(route.first);
    }
    return names;
}

Response RecordingRouter::call(const std::string& route, const Request& request) const {
    for (const auto& [name, handler] : routes_) {
        if (name == route) {
            return handler(request);
        }
    }
    throw std::out_of_range("no route " + route);
}

}  // namespace micro_order::rest::testing
