#pragma once

/// @file
/// HTTP part of the micro-order plugin SDK: plain request/response values, a typed error and the
/// router a plugin registers its handlers on. No Poco::Net type crosses this boundary, so the
/// host's server can change without breaking plugins.

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace micro_order {

/// One HTTP request as a handler sees it. The host has already matched the route, checked the
/// body size and decoded the query string.
struct Request {
    std::string method;
    std::string path;                               ///< decoded path, as sent (with or without the trailing slash)
    std::map<std::string, std::string> pathParams;  ///< `{id}` in the template → value
    std::vector<std::pair<std::string, std::string>> query;  ///< decoded, in order
    std::map<std::string, std::string> headers;              ///< lower-case names
    std::string body;
    std::string contentType;  ///< media type only, lower-case, no parameters
    std::string baseUrl;      ///< scheme://host:port the client used, for Link headers

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

/// Routes of one listener. Templates look like `/orders/{id}/`; each matches with and without
/// the trailing slash. Handlers run concurrently on the listener's worker threads.
class Router {
public:
    virtual ~Router() = default;
    virtual void add(const std::string& method, const std::string& pathTemplate, Handler handler) = 0;
};

}  // namespace micro_order
