#pragma once

/// @file
/// HTTP part of the micro-order plugin SDK: plain request/response values, a typed error and the
/// router a plugin registers its handlers on. No Poco::Net type crosses this boundary, so the
/// host's server can change without breaking plugins.

#include <cstddef>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace micro_order {

/// One HTTP request as a handler sees it. The host has already matched the route, checked the
/// body size and percent-decoded the path and the query string.
struct Request {
    std::string method;
    std::string path;                               ///< decoded path, as sent (with or without the trailing slash)
    std::map<std::string, std::string> pathParams;  ///< `{id}` in the template → value
    std::vector<std::pair<std::string, std::string>> query;  ///< decoded, in order
    std::map<std::string, std::string> headers;              ///< lower-case names
    std::string body;
    std::string contentType;  ///< media type only, lower-case, no parameters
    /// The listener's configured `public_url` (e.g. `https://orders.example.com`, no trailing
    /// slash), or empty: then links are relative (`/orders/?offset=100`). It never comes from the
    /// request's Host header, so a client cannot choose where a link points.
    std::string baseUrl;

    /// The first value of a query parameter, or nullptr.
    const std::string* queryValue(const std::string& name) const {
        for (const auto& [key, value] : query) {
            if (key == name) {
                return &value;
            }
        }
        return nullptr;
    }
};

struct Response {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;

    static Response json(int status, std::string body) {
        Response response;
        response.status = status;
        response.body = std::move(body);
        return response;
    }
};

/// Thrown by a handler to answer with a given status. `body` is sent as is when it is set
/// (it must be JSON); otherwise the host renders `{"detail": message}`.
class HttpError : public std::runtime_error {
public:
    HttpError(int status, const std::string& detail, std::string body = {})
        : std::runtime_error(detail), status_(status), body_(std::move(body)) {}

    int status() const noexcept { return status_; }
    const std::string& body() const noexcept { return body_; }

private:
    int status_;
    std::string body_;
};

using Handler = std::function<Response(const Request&)>;

/// What a route asks of the host besides its handler.
struct RouteOptions {
    /// The largest request body the route takes, in bytes; a larger one is answered 413 before
    /// the handler runs, and costs no more memory than this. 0 = the listener's
    /// `http.max_body_bytes`. A route that takes a few KiB of JSON should say so.
    std::size_t maxBodyBytes = 0;
};

/// Routes of one listener. Templates look like `/orders/{id}/`; each matches with and without
/// the trailing slash. Handlers run concurrently on the listener's worker threads, never on the
/// threads that read and write the sockets, so they may block (on a database, say).
class Router {
public:
    virtual ~Router() = default;
    virtual void add(const std::string& method, const std::string& pathTemplate, Handler handler,
                     RouteOptions options = {}) = 0;
};

}  // namespace micro_order
