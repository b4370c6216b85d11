#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>

#include <chrono>
#include <map>
#include <string>

namespace micro_order::testing {

struct HttpResult {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  ///< lower-case names
    std::string contentType;                     ///< as sent, parameters included

    /// A header's value, or an empty string; `name` in any case.
    std::string header(const std::string& name) const;
};

/// A keep-alive HTTP/1.1 client on one TCP connection (Poco::Net::HTTPClientSession), for a host
/// listening on loopback. Not thread-safe: one per thread.
class HttpClient {
public:
    HttpClient(const std::string& host, unsigned short port,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));
    explicit HttpClient(unsigned short port) : HttpClient("127.0.0.1", port) {}

    /// Sends one request and reads the whole response. An empty `body` with GET/HEAD/DELETE is
    /// sent without a Content-Type.
    HttpResult request(const std::string& method, const std::string& path, const std::string& body = "",
                       const std::string& contentType = "application/json",
                       const std::map<std::string, std::string>& headers = {});

    HttpResult get(const std::string& path) { return request("GET", path); }
    HttpResult post(const std::string& path, const std::string& body) { return request("POST", path, body); }

    /// The client side port of the current connection (to see that keep-alive reused it).
    unsigned short localPort();
    Poco::Net::HTTPClientSession& session() { return session_; }

private:
    Poco::Net::HTTPClientSession session_;
};

/// One request on a fresh connection to 127.0.0.1:`port`.
HttpResult httpRequest(unsigned short port, const std::string& method, const std::string& path,
                       const std::string& body = "", const std::string& contentType = "application/json");

/// Parses a JSON object / array; throws (with the text) when it is not one.
Poco::JSON::Object::Ptr json(const std::string& body);
Poco::JSON::Array::Ptr jsonArray(const std::string& body);

}  // namespace micro_order::testing
