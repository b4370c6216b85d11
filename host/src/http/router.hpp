#pragma once

#include <map>
#include <micro_order/http.hpp>
#include <string>
#include <vector>

namespace micro_order::host {

/// Method + path-template routing for one listener. Routes are added while plugins start and
/// only read afterwards, so matching needs no lock.
class HttpRouter final : public Router {
public:
    void add(const std::string& method, const std::string& pathTemplate, Handler handler) override;

    struct Match {
        enum class Kind { Found, NotFound, MethodNotAllowed } kind = Kind::NotFound;
        const Handler* handler = nullptr;
        std::string routeTemplate;  ///< the template that matched, for logs and metrics
        std::map<std::string, std::string> params;
        std::vector<std::string> allowed;  ///< methods the path takes, for 405's Allow
    };
    /// `path` is decoded and may end with or without a slash.
    Match match(const std::string& method, const std::string& path) const;

private:
    struct Route {
        std::string method;
        std::string pathTemplate;
        std::vector<std::string> segments;  ///< `{name}` for a parameter
        Handler handler;
    };
    std::vector<Route> routes_;
};

}  // namespace micro_order::host
