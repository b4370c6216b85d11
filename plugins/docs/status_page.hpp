#pragma once

#include <chrono>
#include <deque>
#include <string>

#include "docs/status_sample.hpp"

namespace micro_order::docs {

/// The status page: one self-contained HTML document (inline CSS and SVG, no script, nothing
/// from another origin) rendered on the server from the samples, oldest first: orders by status,
/// time to final state (its percentiles and a chart of them over `history`), throughput, outbox
/// backlog, dead letters, and each host's state, saying which is down and why. It reloads
/// itself every `refresh` (never for 0).
std::string renderStatusPage(const std::deque<StatusSample>& samples, std::chrono::minutes history,
                             std::chrono::seconds refresh);

/// Colours of the chart's lines (tests look for them in a screenshot).
inline constexpr const char* kMedianColour = "#1f77b4";
inline constexpr const char* kTailColour = "#ff7f0e";

}  // namespace micro_order::docs
