#pragma once

#include <cstddef>
#include <map>
#include <micro_order/http.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace micro_order::host {

/// Method + path-template routing for one listener. Routes are added while plugins start and
/// only read afterwards, so matching needs no lock.
class HttpRouter final : public Router {
public:
    void add(const std::string& method, const std::string& pathTemplate, Handler handler,
             RouteOptions options = {}) override;
    /// A host route answered on the event loop itself, never queued behind plugin handlers (so
    /// /healthz answers while the worker pool is full). `handler` must never block.
    void addNonBlocking(const std::string& method, const std::string& pathTemplate, Handler handler);

    struct Match {
        enum class Kind { Found, NotFound, MethodNotAllowed } kind = Kind::NotFound;
        const Handler* handler = nullptr;
        /// The template that matched (for 405, one whose path matched), for logs and metrics;
        /// empty when no path matched. Points into the router: stable while it lives.
        std::string_view routeTemplate;
        std::size_t maxBodyBytes = 0;  ///< the route's own body limit, 0 = the listener's default
        bool nonBlocking = false;      ///< answer on the event loop (see addNonBlocking)
        std::map<std::string, std::string> params;
        std::vector<std::string> allowed;  ///< methods the path takes, for 405's Allow
    };
    /// `path` is decoded and may end with or without a slash.
    Match match(std::string_view method, std::string_view path) const;

private:
    struct Route {
        std::string method;
        std::string pathTemplate;
        std::vector<std::string> segments;  ///< `{name}` for a parameter
        Handler handler;
        RouteOptions options;
        bool nonBlocking = false;
    };
    void addRoute(const std::string& method, const std::string& pathTemplate, Handler handler, RouteOptions options,
                  bool nonBlocking);

    std::vector<Route> routes_;
};

}  // namespace micro_order::host
