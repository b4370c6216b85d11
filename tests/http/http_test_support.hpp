#pragma once

// What the tests of tests/http share: the YAML of a host running the probe plugin, reading one
// value out of /metrics, the host's peak memory, and the descriptor limit of the test itself.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace micro_order::testing {

/// A plugin instance of test_probe on 127.0.0.1:`port`, indented for `plugins:`. `listenExtra`
/// (e.g. "public_url: https://x.example") turns `listen:` into its mapping form.
std::string probeInstance(const std::string& name, unsigned short port, const std::string& listenExtra = "");

/// yamlHeader() + an `http:` section made of `httpLines` (each "key: value\n", indentation
/// added; none: the defaults) + one probe instance named "probe".
std::string probeYaml(unsigned short port, const std::string& httpLines = "", int shutdownGraceMs = 5000);

/// `http:` with each line of `lines` indented under it; empty when `lines` is.
std::string httpSection(const std::string& lines);

/// The sum of the samples of metric `name` whose labels include every pair of `labels`, in a
/// Prometheus text page; nullopt when no sample matches.
std::optional<double> metricValue(const std::string& page, const std::string& name,
                                  const std::map<std::string, std::string>& labels = {});

/// GET /metrics on a fresh connection to `port` (throws when it does not answer 200).
std::string scrapeMetrics(unsigned short port, std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// Polls /metrics until `name` with `labels` is at least `atLeast`; the last value seen
/// (nullopt when the series never showed).
std::optional<double> waitForMetric(unsigned short port, const std::string& name,
                                    const std::map<std::string, std::string>& labels, double atLeast,
                                    std::chrono::milliseconds timeout);

/// A `VmHWM:`-style line of /proc/`pid`/status, in kB; throws when missing.
long procStatusKb(pid_t pid, const std::string& key);

/// Raises this process's RLIMIT_NOFILE soft limit to its hard limit; returns the new limit.
long raiseDescriptorLimit();

/// Milliseconds since `since`.
inline long long millisSince(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace micro_order::testing
