#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "metrics_registry.hpp"

namespace micro_order::host {

/// The label of a request method: one of a fixed set, else `other`, so a client cannot add a
/// series to /metrics by inventing methods.
std::string_view methodLabel(std::string_view method);

/// Which deadline ran out (`kind` label of micro_order_http_timeouts_total).
enum class TimeoutKind { Header, Body, KeepAlive, Send, TlsHandshake };

/// Why a request was answered without reaching a handler (`reason` label).
enum class Rejection { Overload, HeaderTooLarge, UriTooLong, BadRequest, BodyTooLarge, Unauthorized, MisdirectedHost };

/// The metrics of one listener, labelled with its plugin instance. Every series exists from the
/// start (at 0), and the hot paths touch only atomics.
class ListenerMetrics {
public:
    ListenerMetrics(MetricsRegistry& registry, std::string instance, std::function<double()> workerQueueDepth);

    void connectionOpened() { open_->fetch_add(1, std::memory_order_relaxed); }
    void connectionClosed() { open_->fetch_sub(1, std::memory_order_relaxed); }
    std::int64_t openConnections() const { return open_->load(std::memory_order_relaxed); }
    void refused() { refused_->add(); }
    void timedOut(TimeoutKind kind) { timeouts_[static_cast<std::size_t>(kind)]->add(); }
    void rejected(Rejection reason) { rejections_[static_cast<std::size_t>(reason)]->add(); }

    /// One request answered: counted by route template (`(unmatched)` when empty), method label
    /// and status; its latency by route.
    void request(std::string_view routeTemplate, std::string_view method, int status, double seconds);

private:
    struct Series {
        MetricsRegistry::Counter* requests;
        MetricsRegistry::Histogram* latency;
    };
    MetricsRegistry& registry_;
    std::string instance_;
    std::shared_ptr<std::atomic<std::int64_t>> open_;  ///< shared with the gauge, which may outlive us
    MetricsRegistry::Counter* refused_;
    std::array<MetricsRegistry::Counter*, 5> timeouts_{};
    std::array<MetricsRegistry::Counter*, 7> rejections_{};
    /// Route templates live in the router: their address, the method label and the status make
    /// a key that costs no allocation to look up.
    struct Key {
        const void* route;
        std::uint32_t methodAndStatus;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& key) const {
            return std::hash<const void*>()(key.route) ^ (key.methodAndStatus * 0x9E3779B97F4A7C15ull);
        }
    };
    std::shared_mutex mutex_;
    std::unordered_map<Key, Series, KeyHash> cache_;
};

}  // namespace micro_order::host
