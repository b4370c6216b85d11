#pragma once

// Many idle keep-alive connections held by one thread: each connects, makes one request, reads
// its answer and then stays silent, as browsers and pooled clients leave them. Non-blocking
// sockets under one epoll, so 10,000 of them cost the driver descriptors, not threads.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "http_load.hpp"

namespace micro_order::bench {

class IdleConnections {
public:
    /// Opens `count` connections to `target` (at most `inFlight` being set up at a time), each
    /// sending `GET path` once and reading the whole response, within `timeout`. Connections
    /// that fail are counted in failed(), not retried.
    IdleConnections(const HttpTarget& target, int count, const std::string& path,
                    std::chrono::milliseconds timeout = std::chrono::seconds(60), int inFlight = 256);
    ~IdleConnections();
    IdleConnections(const IdleConnections&) = delete;
    IdleConnections& operator=(const IdleConnections&) = delete;

    /// Connections that got a 2xx answer and are idle now.
    int held() const { return static_cast<int>(idle_.size()); }
    /// Connections refused, reset, closed or answered with a non-2xx status while being set up.
    int failed() const { return failed_; }
    double openSeconds() const { return openSeconds_; }
    /// How many held connections the server has not closed (nor written to) by now.
    int stillOpen();

private:
    std::vector<int> idle_;
    int epoll_ = -1;
    int failed_ = 0;
    double openSeconds_ = 0;
};

/// Raises RLIMIT_NOFILE's soft limit to the hard limit; returns it.
long raiseDescriptorLimit();

}  // namespace micro_order::bench
