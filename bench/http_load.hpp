#pragma once

// Closed-loop (or paced) HTTP load from K keep-alive connections, one thread each, with Poco's
// HTTPClientSession. Bounded by a request count and a duration, loopback only.

#include <Poco/Net/HTTPClientSession.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace micro_order::bench {

struct HttpTarget {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
};

/// Parses "http://127.0.0.1:8000" (a path after it is ignored); throws on anything else.
HttpTarget parseHttpTarget(const std::string& url);

struct HttpCall {
    std::string method = "GET";
    std::string path = "/";
    std::string body;  ///< sent as application/json when not empty
};

struct HttpReply {
    int status = 0;
    std::string body;  ///< only kept when asked for
    std::size_t bodyBytes = 0;
};

/// One keep-alive connection. Reconnects once when the server closed it between requests.
class HttpConnection {
public:
    explicit HttpConnection(const HttpTarget& target);
    HttpReply call(const HttpCall& call, bool keepBody);

private:
    HttpReply attempt(const HttpCall& call, bool keepBody);
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

struct LoadSpec {
    HttpTarget target;
    /// Several servers of one service (hosts side by side): connection k goes to targets[k % n].
    /// Empty: every connection goes to `target`.
    std::vector<HttpTarget> targets;
    int connections = 32;
    std::int64_t maxRequests = 0;  ///< 0 = bounded by duration only
    std::chrono::milliseconds duration{5000};
    double ratePerSecond = 0;  ///< 0 = closed loop; else each connection paces at rate/connections
    /// Makes request number `index` (0-based, unique across connections).
    std::function<HttpCall(std::int64_t index)> make;
    /// Status codes counted as success; a reply outside [okLow, okHigh] is an error.
    int okLow = 200;
    int okHigh = 299;
};

struct LoadResult {
    std::int64_t requests = 0;  ///< answered, any status
    std::int64_t errors = 0;    ///< transport errors and unexpected statuses
    double seconds = 0;         ///< first send to last reply
    std::int64_t firstSendEpochMicros = 0;
    std::int64_t lastReplyEpochMicros = 0;
    std::size_t bytes = 0;
    std::vector<std::int64_t> latencyMicros;  ///< per request; from the scheduled time when paced
    double driverCpuSeconds = 0;
};

LoadResult runLoad(const LoadSpec& spec);

std::int64_t epochMicrosNow();

}  // namespace micro_order::bench
