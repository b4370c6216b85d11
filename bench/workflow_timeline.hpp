#pragma once

// Per-order times of the workflow, reconstructed from the services' SQLite files.
//
// The schema keeps no "final at" column, but the host's inbox records when each delivery was
// handled (micro_order_inbox.handled_at, in the same transaction as the step). Every step has one
// consumer that handles its queue in order, and every outbox is relayed in id order, so the k-th
// order by id is the k-th delivery handled on each queue. The FIFO assumption is checked where
// the data allows it (shippings are created in the orders' order) and reported.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "latency_stats.hpp"

namespace micro_order::bench {

struct WorkflowTimeline {
    std::int64_t orders = 0;
    std::int64_t shipped = 0;
    std::int64_t cancelled = 0;
    std::int64_t processing = 0;
    std::int64_t firstMadeMicros = 0;  ///< epoch µs
    std::int64_t lastFinalMicros = 0;  ///< epoch µs of the last shippings.update handled
    bool fifoChecked = false;
    bool fifo = false;
    /// Order created → final state; then each step: previous step handled → this one handled.
    LatencySummary timeToFinal;
    std::vector<std::pair<std::string, LatencySummary>> steps;
    /// Deliveries per second each queue's consumer handled, first to last (where the pipeline narrows).
    std::vector<std::pair<std::string, double>> stepRates;
    std::string problem;  ///< why the per-order times could not be computed, if they could not
};

/// Reads the three files (any may be empty: the steps it holds are then skipped).
WorkflowTimeline readWorkflowTimeline(const std::string& ordersDb, const std::string& shippingsDb,
                                      const std::string& customersDb);

/// "2026-01-01T00:00:00.123456Z" as epoch microseconds; nullopt when malformed.
std::optional<std::int64_t> parseRfc3339Micros(const std::string& text);

}  // namespace micro_order::bench
