#pragma once

// Reads the Prometheus text format the hosts' GET /metrics serves: enough of it for the status
// page (samples with labels; comments and timestamps skipped).

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace micro_order::docs {

struct MetricSample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

/// Every sample line of `text`; lines it cannot read are skipped.
std::vector<MetricSample> parsePrometheusText(std::string_view text);

/// The samples named `name` whose labels include every pair of `labels`.
std::vector<const MetricSample*> select(const std::vector<MetricSample>& samples, const std::string& name,
                                        const std::map<std::string, std::string>& labels = {});

/// Histogram quantile (as Prometheus' histogram_quantile): `q` in [0, 1] from cumulative bucket
/// counts by upper bound (the last bound may be +Inf), interpolating inside the bucket; NaN when
/// there is no observation.
double histogramQuantile(double q, const std::vector<std::pair<double, double>>& cumulativeBuckets);

}  // namespace micro_order::docs
