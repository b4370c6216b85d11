#include "docs/status_sample.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace micro_order::docs {
namespace {

constexpr const char* kFinalQueue = "shippings.update";

void addBuckets(std::vector<std::pair<double, double>>& total, const std::vector<MetricSample>& samples) {
    std::map<double, double> byBound;
    for (const auto& [bound, count] : total) {
        byBound[bound] += count;
    }
    for (const MetricSample* bucket :
         select(samples, "micro_order_workflow_age_seconds_bucket", {{"queue", kFinalQueue}})) {
        const std::string& le = bucket->labels.at("le");
        const double bound = le == "+Inf" ? INFINITY : std::strtod(le.c_str(), nullptr);
        byBound[bound] += bucket->value;
    }
    total.assign(byBound.begin(), byBound.end());
}

/// Counters only compare between samples that read the same hosts.
bool sameHostsUp(const StatusSample& a, const StatusSample& b) {
    if (a.hosts.size() != b.hosts.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.hosts.size(); ++i) {
        if (a.hosts[i].name != b.hosts[i].name || a.hosts[i].up != b.hosts[i].up) {
            return false;
        }
    }
    return true;
}

}  // namespace

StatusSample summarize(const std::vector<HostMetrics>& hosts, Poco::Timestamp at) {
    StatusSample sample;
    sample.at = at;
    for (const HostMetrics& host : hosts) {
        HostState state{host.name, host.text.has_value(), host.error};
        if (!host.text) {
            sample.hosts.push_back(std::move(state));
            continue;
        }
        const auto metrics = parsePrometheusText(*host.text);
        for (const MetricSample* orders : select(metrics, "micro_order_orders")) {
            if (const auto status = orders->labels.find("status"); status != orders->labels.end()) {
                sample.ordersByStatus[status->second] += orders->value;
            }
        }
        for (const MetricSample* count :
             select(metrics, "micro_order_workflow_age_seconds_count", {{"queue", kFinalQueue}})) {
            sample.finished += count->value;
        }
        addBuckets(sample.finishedBuckets, metrics);
        for (const MetricSample* backlog : select(metrics, "micro_order_outbox_backlog")) {
            sample.outboxBacklog += backlog->value;
        }
        for (const MetricSample* depth : select(metrics, "micro_order_dead_letter_messages")) {
            if (!std::isnan(depth->value)) {
                sample.deadLetters = std::max(sample.deadLetters.value_or(0), depth->value);
            }
        }
        std::vector<std::string> lacks;
        for (const MetricSample* broker : select(metrics, "micro_order_broker_connected")) {
            if (broker->value == 0) {
                lacks.push_back("broker not connected (" + broker->labels.at("connection") + ")");
            }
        }
        for (const MetricSample* database : select(metrics, "micro_order_database_writable")) {
            if (database->value == 0) {
                lacks.push_back("database " + database->labels.at("database") + " cannot write");
            }
        }
        for (const MetricSample* ready : select(metrics, "micro_order_ready")) {
            if (ready->value == 0) {
                lacks.push_back(ready->labels.at("instance") + " unavailable");
            }
        }
        for (const auto& what : lacks) {
            sample.problems.push_back(host.name + ": " + what);
            state.problem += (state.problem.empty() ? "" : "; ") + what;
        }
        sample.hosts.push_back(std::move(state));
    }
    return sample;
}

double throughput(const StatusSample& before, const StatusSample& after) {
    const double seconds = static_cast<double>(after.at - before.at) / 1e6;
    if (seconds <= 0 || after.finished < before.finished || !sameHostsUp(before, after)) {
        return std::nan("");  // a host restarted: its counters began again
    }
    return (after.finished - before.finished) / seconds;
}

double intervalQuantile(double q, const StatusSample& before, const StatusSample& after) {
    if (after.finishedBuckets.size() != before.finishedBuckets.size() || after.finished <= before.finished ||
        !sameHostsUp(before, after)) {
        return std::nan("");
    }
    std::vector<std::pair<double, double>> delta;
    for (std::size_t i = 0; i < after.finishedBuckets.size(); ++i) {
        delta.emplace_back(after.finishedBuckets[i].first,
                           after.finishedBuckets[i].second - before.finishedBuckets[i].second);
    }
    return histogramQuantile(q, delta);
}

}  // namespace micro_order::docs
