#include "http/listener_metrics.hpp"

#include <mutex>

namespace micro_order::host {
namespace {

constexpr std::array<std::string_view, 7> kMethods{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
constexpr std::string_view kOther = "other";

std::size_t methodIndex(std::string_view method) {
    for (std::size_t i = 0; i < kMethods.size(); ++i) {
        if (kMethods[i] == method) {
            return i;
        }
    }
    return kMethods.size();
}

}  // namespace

std::string_view methodLabel(std::string_view method) {
    const std::size_t index = methodIndex(method);
    return index < kMethods.size() ? kMethods[index] : kOther;
}

ListenerMetrics::ListenerMetrics(MetricsRegistry& registry, std::string instance,
                                 std::function<double()> workerQueueDepth)
    : registry_(registry), instance_(std::move(instance)), open_(std::make_shared<std::atomic<std::int64_t>>(0)) {
    const Labels labels{{"instance", instance_}};
    registry_.gauge("micro_order_http_open_connections", "HTTP connections open now", labels,
                    [open = open_] { return static_cast<double>(open->load(std::memory_order_relaxed)); });
    registry_.gauge("micro_order_http_worker_queue_depth", "HTTP requests waiting for a worker thread", labels,
                    std::move(workerQueueDepth));
    refused_ = &registry_.counter("micro_order_http_connections_refused_total",
                                  "HTTP connections closed at once because max_connections were open", labels);
    constexpr std::array<const char*, 5> kKinds{"header", "body", "keep_alive", "send", "tls_handshake"};
    for (std::size_t i = 0; i < kKinds.size(); ++i) {
        timeouts_[i] = &registry_.counter(
            "micro_order_http_timeouts_total",
            "HTTP connections cut by a deadline: header, body, keep_alive (idle), send or tls_handshake",
            {{"instance", instance_}, {"kind", kKinds[i]}});
    }
    constexpr std::array<const char*, 7> kReasons{"overload",        "header_too_large", "uri_too_long",
                                                  "bad_request",     "body_too_large",   "unauthorized",
                                                  "misdirected_host"};
    for (std::size_t i = 0; i < kReasons.size(); ++i) {
        rejections_[i] = &registry_.counter("micro_order_http_requests_rejected_total",
                                            "HTTP requests answered by the host without reaching a handler",
                                            {{"instance", instance_}, {"reason", kReasons[i]}});
    }
}

void ListenerMetrics::request(std::string_view routeTemplate, std::string_view method, int status, double seconds) {
    const std::size_t index = methodIndex(method);
    const Key key{routeTemplate.data(), static_cast<std::uint32_t>(index << 16 | static_cast<std::uint32_t>(status))};
    Series series{};
    {
        std::shared_lock lock(mutex_);
        if (auto it = cache_.find(key); it != cache_.end()) {
            series = it->second;
        }
    }
    if (!series.requests) {
        const std::string route = routeTemplate.empty() ? "(unmatched)" : std::string(routeTemplate);
        const std::string label(index < kMethods.size() ? kMethods[index] : kOther);
        series.requests = &registry_.counter(
            "micro_order_http_requests_total", "HTTP requests by route, method and status",
            {{"instance", instance_}, {"route", route}, {"method", label}, {"status", std::to_string(status)}});
        series.latency =
            &registry_.histogram("micro_order_http_request_duration_seconds", "HTTP request latency by route",
                                 {{"instance", instance_}, {"route", route}});
        std::unique_lock lock(mutex_);
        cache_.emplace(key, series);
    }
    series.requests->add();
    series.latency->observe(seconds);
}

}  // namespace micro_order::host
