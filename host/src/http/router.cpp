#include "http_router.hpp"

#include <Poco/String.h>

#include <algorithm>
#include <stdexcept>

namespace micro_order::host {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start < path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) {
            end = path.size();
        }
        if (end > start) {
            segments.push_back(path.substr(start, end - start));
        }
        start = end + 1;
    }
    return segments;
}

bool isParameter(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void HttpRouter::add(const std::string& method, const std::string& pathTemplate, Handler handler) {
    if (pathTemplate.empty() || pathTemplate.front() != '/') {
        throw std::invalid_argument("route template must start with '/': " + pathTemplate);
    }
    const std::string upperMethod = Poco::toUpper(method);
    std::vector<std::string> segments = splitPath(pathTemplate);
    for (const Route& route : routes_) {
        if (route.method == upperMethod && route.segments == segments) {
            throw std::invalid_argument("route registered twice: " + upperMethod + " " + pathTemplate);
        }
    }
    routes_.push_back({upperMethod, pathTemplate, std::move(segments), std::move(handler)});
}

HttpRouter::Match HttpRouter::match(const std::string& requestMethod, const std::string& path) const {
    // HEAD is GET without the body (RFC 9110): the server drops the body when it sends.
    static const std::string kGet = "GET";
    const std::string& method = requestMethod == "HEAD" ? kGet : requestMethod;
    Match result;
    const std::vector<std::string> segments = splitPath(path);
    for (const Route& route : routes_) {
        if (route.segments.size() != segments.size()) {
            continue;
        }
        std::map<std::string, std::string> params;
        bool same = true;
        for (std::size_t i = 0; i < segments.size() && same; ++i) {
            if (isParameter(route.segments[i])) {
                params[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
            } else {
                same = route.segments[i] == segments[i];
            }
        }
        if (!same) {
            continue;
        }
        if (route.method == method) {
            result.kind = Match::Kind::Found;
            result.handler = &route.handler;
            result.routeTemplate = route.pathTemplate;
            result.params = std::move(params);
            return result;
        }
        if (std::find(result.allowed.begin(), result.allowed.end(), route.method) == result.allowed.end()) {
            result.allowed.push_back(route.method);
        }
        result.routeTemplate = route.pathTemplate;
    }
    if (std::find(result.allowed.begin(), result.allowed.end(), "GET") != result.allowed.end()) {
        result.allowed.push_back("HEAD");
    }
    result.kind = result.allowed.empty() ? Match::Kind::NotFound : Match::Kind::MethodNotAllowed;
    return result;
}

}  // namespace micro_order::host
