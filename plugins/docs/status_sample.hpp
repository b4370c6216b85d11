#pragma once

// One look at every host's /metrics, summed up for the status page, and what two looks in a row
// say (throughput, time to final state).

#include <Poco/Timestamp.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "docs/prometheus_text.hpp"

namespace micro_order::docs {

struct HostState {
    std::string name;
    bool up = false;
    std::string problem;  ///< why it is down, or what it lacks ("broker not connected")
};

struct StatusSample {
    Poco::Timestamp at;
    std::vector<HostState> hosts;
    std::map<std::string, double> ordersByStatus;  ///< micro_order_orders, summed over hosts
    /// Orders that reached their final state since the hosts started (the count of
    /// micro_order_workflow_age_seconds{queue="shippings.update"}), and its cumulative buckets.
    double finished = 0;
    std::vector<std::pair<double, double>> finishedBuckets;
    double outboxBacklog = 0;
    std::optional<double> deadLetters;  ///< unknown until a host read the queue
    std::vector<std::string> problems;  ///< degraded or unavailable parts, e.g. "orders: broker not connected"
};

/// What a host's /metrics answered: its text, or why there was none.
struct HostMetrics {
    std::string name;
    std::optional<std::string> text;
    std::string error;
};

StatusSample summarize(const std::vector<HostMetrics>& hosts, Poco::Timestamp at = {});

/// Between two samples of the same hosts: final states per second and the time-to-final-state
/// quantile `q` of the orders finished in between (NaN when none did).
double throughput(const StatusSample& before, const StatusSample& after);
double intervalQuantile(double q, const StatusSample& before, const StatusSample& after);

}  // namespace micro_order::docs
