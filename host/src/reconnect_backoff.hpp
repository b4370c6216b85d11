#pragma once

#include <algorithm>
#include <chrono>

#include "host_config.hpp"

namespace micro_order::host {

/// Capped exponential backoff between reconnect attempts; reset after a success.
class ReconnectBackoff {
public:
    explicit ReconnectBackoff(const ReconnectSettings& settings)
        : settings_(settings), next_(settings.initialDelayMs) {}

    std::chrono::milliseconds next() {
        const int delay = next_;
        next_ = std::min(next_ * 2, settings_.maxDelayMs);
        return std::chrono::milliseconds(delay);
    }
    void reset() { next_ = settings_.initialDelayMs; }

private:
    ReconnectSettings settings_;
    int next_;
};

}  // namespace micro_order::host
