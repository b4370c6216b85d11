#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace micro_order::host {

/// Label pairs in a fixed order, e.g. {{"route", "/orders/"}, {"status", "201"}}.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// Counters, histograms and gauges of one host, rendered in the Prometheus text format.
///
/// Hot paths hold the returned references and touch only atomics; the map is locked only to
/// look a series up or to render.
class MetricsRegistry {
public:
    class Counter {
    public:
        void add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
        std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

    private:
        std::atomic<std::uint64_t> value_{0};
    };

    /// Latency in seconds, with buckets from 0.5 ms to 10 s.
    class Histogram {
    public:
        static constexpr std::array<double, 16> kBounds{0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02,
                                                        0.025,  0.05,  0.1,    0.25,  0.5,    1,    2.5,   10};
        void observe(double seconds);
        std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

    private:
        friend class MetricsRegistry;
        std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{};
        std::atomic<std::uint64_t> count_{0};
        std::atomic<std::uint64_t> sumMicros_{0};
    };

    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {});
    /// A value read when rendering (backlogs, connection states).
    void gauge(const std::string& name, const std::string& help, const Labels& labels, std::function<double()> read);
    /// A counter another component keeps (its own atomics), read when rendering.
    void counterFunction(const std::string& name, const std::string& help, const Labels& labels,
                         std::function<double()> read);

    std::string renderPrometheus() const;

private:
    enum class Kind { Counter, Histogram, Gauge, CounterFunction };
    struct Family {
        Kind kind;
        std::string help;
        std::map<std::string, std::unique_ptr<Counter>> counters;  ///< by rendered labels
        std::map<std::string, std::unique_ptr<Histogram>> histograms;
        std::map<std::string, std::function<double()>> gauges;
    };
    Family& family(const std::string& name, Kind kind, const std::string& help);

    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
};

}  // namespace micro_order::host
