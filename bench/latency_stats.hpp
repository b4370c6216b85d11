#pragma once

// Exact percentiles of a sample of durations: the bench keeps every sample (bounded by the
// request count), so no histogram error creeps into p99.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace micro_order::bench {

struct LatencySummary {
    std::size_t count = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
};

/// Sorts `micros` in place and summarises it (nearest-rank percentiles).
inline LatencySummary summarize(std::vector<std::int64_t>& micros) {
    LatencySummary summary;
    summary.count = micros.size();
    if (micros.empty()) {
        return summary;
    }
    std::sort(micros.begin(), micros.end());
    auto rank = [&](double q) {
        const auto index = static_cast<std::size_t>(std::ceil(q * static_cast<double>(micros.size()))) - 1;
        return static_cast<double>(micros[std::min(index, micros.size() - 1)]) / 1000.0;
    };
    summary.p50Ms = rank(0.50);
    summary.p99Ms = rank(0.99);
    summary.maxMs = static_cast<double>(micros.back()) / 1000.0;
    return summary;
}

}  // namespace micro_order::bench
