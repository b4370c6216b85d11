#pragma once

// Test support for handler tests: request builders, the HttpError a call throws, and a Router
// that records its routes.

#include <functional>
#include <map>
#include <micro_order/http.hpp>
#include <string>
#include <utility>
#include <vector>

namespace micro_order::rest::testing {

using QueryList = std::vector<std::pair<std::string, std::string>>;

/// A POST with `body` as application/json (or `contentType`).
Request postJson(const std::string& path, std::string body, std::string contentType = "application/json");

/// A GET of `path` (as sent) with decoded query parameters and path parameters, as the host's
/// router hands it over; baseUrl is empty, as on a listener without a public_url.
Request get(const std::string& path, QueryList query = {}, std::map<std::string, std::string> pathParams = {});

/// What an HttpError carried: its status, what() and body.
struct ThrownError {
    int status = 0;  ///< 0 when nothing was thrown
    std::string detail;
    std::string body;
};

/// Runs `call` and returns the HttpError it threw (status 0 when it returned normally).
ThrownError httpErrorOf(const std::function<void()>& call);

/// A Router that keeps its routes so a test can list and call them.
class RecordingRouter : public Router {
public:
    void add(const std::string& method, const std::string& pathTemplate, Handler handler,
             RouteOptions options = {}) override {
        routes_.push_back({method + " " + pathTemplate, std::move(handler), options});
    }
    /// "METHOD /template/" of each route, in registration order.
    std::vector<std::string> routes() const;
    /// Calls the route registered as "METHOD /template/"; throws std::out_of_range if none.
    Response call(const std::string& route, const Request& request) const;
    /// The options the route "METHOD /template/" was registered with; throws std::out_of_range.
    RouteOptions options(const std::string& route) const;

private:
    struct Route {
        std::string name;
        Handler handler;
        RouteOptions options;
    };
    std::vector<Route> routes_;
};

}  // namespace micro_order::rest::testing
