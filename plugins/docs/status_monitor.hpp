#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "docs/docs_config.hpp"
#include "docs/status_sample.hpp"

namespace micro_order::docs {

/// Reads a host's /metrics now; throws (std::exception) with the reason when it cannot.
using FetchMetrics = std::function<std::string(const DocsSource&, std::chrono::milliseconds timeout)>;

/// GETs `source` (a host's /metrics) with `timeout` per step; at most kMaxMetricsBytes.
std::string fetchMetricsText(const DocsSource& source, std::chrono::milliseconds timeout);

/// Reads every host's /metrics every `interval` on a thread of its own, and keeps the samples of
/// the last `history` (bounded: history / interval samples). The status page renders what it
/// holds, so a request never waits for a host.
class StatusMonitor {
public:
    StatusMonitor(StatusConfig config, std::chrono::milliseconds timeout, FetchMetrics fetch);
    ~StatusMonitor();

    void start();
    void stop();

    /// Oldest first.
    std::deque<StatusSample> samples() const;
    const StatusConfig& config() const { return config_; }

    /// One round now, on the caller's thread (the thread calls it; so do tests).
    void sampleNow();

private:
    StatusConfig config_;
    std::chrono::milliseconds timeout_;
    FetchMetrics fetch_;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::deque<StatusSample> samples_;
    std::jthread thread_;
};

}  // namespace micro_order::docs
