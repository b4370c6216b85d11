#include "metrics_registry.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace micro_order::host {
namespace {

std::string escapeLabel(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string renderLabels(const Labels& labels, const std::string& extra = {}) {
    if (labels.empty() && extra.empty()) {
        return {};
    }
    std::string out = "{";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        out += (i ? "," : "") + labels[i].first + "=\"" + escapeLabel(labels[i].second) + "\"";
    }
    if (!extra.empty()) {
        out += (labels.empty() ? "" : ",") + extra;
    }
    return out + "}";
}

/// `{a="1"}` plus `le="0.5"` → `{a="1",le="0.5"}`.
std::string withExtraLabel(const std::string& rendered, const std::string& extra) {
    if (rendered.empty()) {
        return "{" + extra + "}";
    }
    return rendered.substr(0, rendered.size() - 1) + "," + extra + "}";
}

std::string number(double value) {
    if (std::isnan(value)) {
        return "NaN";  // the exposition format's spelling
    }
    std::ostringstream out;
    out << value;
    return out.str();
}

}  // namespace

void MetricsRegistry::Histogram::observe(double seconds) {
    std::size_t bucket = 0;
    while (bucket < kBounds.size() && seconds > kBounds[bucket]) {
        ++bucket;
    }
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sumMicros_.fetch_add(static_cast<std::uint64_t>(std::llround(seconds * 1e6)), std::memory_order_relaxed);
}

MetricsRegistry::Family& MetricsRegistry::family(const std::string& name, Kind kind, const std::string& help) {
    auto [it, created] = families_.try_emplace(name);
    if (created) {
        it->second.kind = kind;
        it->second.help = help;
    } else if (it->second.kind != kind) {
        throw std::logic_error("metric " + name + " registered with two kinds");
    }
    return it->second;
}

MetricsRegistry::Counter& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                                   const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, Kind::Counter, help).counters[renderLabels(labels)];
    if (!slot) {
        slot = std::make_unique<Counter>();
    }
    return *slot;
}

MetricsRegistry::Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                                       const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, Kind::Histogram, help).histograms[renderLabels(labels)];
    if (!slot) {
        slot = std::make_unique<Histogram>();
    }
    return *slot;
}

void MetricsRegistry::gauge(const std::string& name, const std::string& help, const Labels& labels,
                            std::function<double()> read) {
    std::lock_guard lock(mutex_);
    family(name, Kind::Gauge, help).gauges[renderLabels(labels)] = std::move(read);
}

void MetricsRegistry::counterFunction(const std::string& name, const std::string& help, const Labels& labels,
                                      std::function<double()> read) {
    std::lock_guard lock(mutex_);
    family(name, Kind::CounterFunction, help).gauges[renderLabels(labels)] = std::move(read);
}

std::string MetricsRegistry::renderPrometheus() const {
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    for (const auto& [name, family] : families_) {
        out << "# HELP " << name << ' ' << family.help << '\n';
        switch (family.kind) {
            case Kind::Counter:
                out << "# TYPE " << name << " counter\n";
                for (const auto& [labels, counter] : family.counters) {
                    out << name << labels << ' ' << counter->value() << '\n';
                }
                break;
            case Kind::Gauge:
            case Kind::CounterFunction:
                out << "# TYPE " << name << (family.kind == Kind::Gauge ? " gauge\n" : " counter\n");
                for (const auto& [labels, read] : family.gauges) {
                    out << name << labels << ' ' << number(read()) << '\n';
                }
                break;
            case Kind::Histogram:
                out << "# TYPE " << name << " histogram\n";
                for (const auto& [labels, histogram] : family.histograms) {
                    std::uint64_t cumulative = 0;
                    for (std::size_t i = 0; i < Histogram::kBounds.size(); ++i) {
                        cumulative += histogram->buckets_[i].load(std::memory_order_relaxed);
                        out << name << "_bucket"
                            << withExtraLabel(labels, "le=\"" + number(Histogram::kBounds[i]) + "\"") << ' '
                            << cumulative << '\n';
                    }
                    out << name << "_bucket" << withExtraLabel(labels, "le=\"+Inf\"") << ' ' << histogram->count()
                        << '\n';
                    out << name << "_sum" << labels << ' '
                        << number(static_cast<double>(histogram->sumMicros_.load(std::memory_order_relaxed)) / 1e6)
                        << '\n';
                    out << name << "_count" << labels << ' ' << histogram->count() << '\n';
                }
                break;
        }
    }
    return out.str();
}

}  // namespace micro_order::host
