#include "http/router.hpp"

#include <Poco/String.h>

#include <algorithm>
#include <stdexcept>

namespace micro_order::host {
namespace {

/// Non-empty segments of `path`, as views into it; `into` is reused so matching allocates nothing.
void splitPath(std::string_view path, std::vector<std::string_view>& into) {
    into.clear();
    std::size_t start = 0;
    while (start < path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) {
            end = path.size();
        }
        if (end > start) {
            into.push_back(path.substr(start, end - start));
        }
        start = end + 1;
    }
}

bool isParameter(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void HttpRouter::add(const std::string& method, const std::string& pathTemplate, Handler handler,
                     RouteOptions options) {
    addRoute(method, pathTemplate, std::move(handler), options, false);
}

void HttpRouter::addNonBlocking(const std::string& method, const std::string& pathTemplate, Handler handler) {
    addRoute(method, pathTemplate, std::move(handler), {}, true);
}

void HttpRouter::addRoute(const std::string& method, const std::string& pathTemplate, Handler handler,
                          RouteOptions options, bool nonBlocking) {
    if (pathTemplate.empty() || pathTemplate.front() != '/') {
        throw std::invalid_argument("route template must start with '/': " + pathTemplate);
    }
    const std::string upperMethod = Poco::toUpper(method);
    std::vector<std::string_view> views;
    splitPath(pathTemplate, views);
    std::vector<std::string> segments(views.begin(), views.end());
    for (const Route& route : routes_) {
        if (route.method == upperMethod && route.segments == segments) {
            throw std::invalid_argument("route registered twice: " + upperMethod + " " + pathTemplate);
        }
    }
    routes_.push_back({upperMethod, pathTemplate, std::move(segments), std::move(handler), options, nonBlocking});
}

HttpRouter::Match HttpRouter::match(std::string_view requestMethod, std::string_view path) const {
    // HEAD is GET without the body (RFC 9110): the server drops the body when it sends.
    const std::string_view method = requestMethod == "HEAD" ? std::string_view("GET") : requestMethod;
    thread_local std::vector<std::string_view> segments;
    splitPath(path, segments);
    Match result;
    for (const Route& route : routes_) {
        if (route.segments.size() != segments.size()) {
            continue;
        }
        bool same = true;
        for (std::size_t i = 0; i < segments.size() && same; ++i) {
            same = isParameter(route.segments[i]) || route.segments[i] == segments[i];
        }
        if (!same) {
            continue;
        }
        result.routeTemplate = route.pathTemplate;
        if (route.method == method) {
            result.kind = Match::Kind::Found;
            result.handler = &route.handler;
            result.maxBodyBytes = route.options.maxBodyBytes;
            result.nonBlocking = route.nonBlocking;
            for (std::size_t i = 0; i < segments.size(); ++i) {
                if (isParameter(route.segments[i])) {
                    result.params.emplace(route.segments[i].substr(1, route.segments[i].size() - 2), segments[i]);
                }
            }
            result.allowed.clear();
            return result;
        }
        if (std::find(result.allowed.begin(), result.allowed.end(), route.method) == result.allowed.end()) {
            result.allowed.push_back(route.method);
        }
    }
    if (std::find(result.allowed.begin(), result.allowed.end(), "GET") != result.allowed.end()) {
        result.allowed.push_back("HEAD");
    }
    result.kind = result.allowed.empty() ? Match::Kind::NotFound : Match::Kind::MethodNotAllowed;
    if (result.kind == Match::Kind::NotFound) {
        result.routeTemplate = {};
    }
    return result;
}

}  // namespace micro_order::host
