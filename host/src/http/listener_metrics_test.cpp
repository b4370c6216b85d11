#include "http/listener_metrics.hpp"

#include <gtest/gtest.h>

namespace micro_order::host {
namespace {

TEST(MethodLabel, KeepsTheStandardMethodsAndCallsEverythingElseOther) {
    for (const auto* method : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
        EXPECT_EQ(methodLabel(method), method);
    }
    for (const auto* method : {"FOOBAR123", "get", "TRACE", "CONNECT", "", "GET "}) {
        EXPECT_EQ(methodLabel(method), "other") << method;
    }
}

bool contains(const std::string& text, const std::string& line) { return text.find(line) != std::string::npos; }

TEST(ListenerMetrics, InventedMethodsShareOneSeries) {
    MetricsRegistry registry;
    ListenerMetrics metrics(registry, "orders", [] { return 0.0; });
    const std::string route = "/orders/";
    for (int i = 0; i < 100; ++i) {
        metrics.request(route, "X" + std::to_string(i), 405, 0.001);
    }
    metrics.request({}, "GET", 404, 0.001);

    const std::string text = registry.renderPrometheus();
    EXPECT_TRUE(contains(
        text, R"(micro_order_http_requests_total{instance="orders",route="/orders/",method="other",status="405"} 100)"))
        << text;
    EXPECT_FALSE(contains(text, "X42"));
    EXPECT_TRUE(contains(
        text,
        R"x(micro_order_http_requests_total{instance="orders",route="(unmatched)",method="GET",status="404"} 1)x"))
        << text;
}

TEST(ListenerMetrics, EverySeriesExistsFromTheStartAndCounts) {
    MetricsRegistry registry;
    ListenerMetrics metrics(registry, "orders", [] { return 7.0; });
    metrics.connectionOpened();
    metrics.connectionOpened();
    metrics.connectionClosed();
    metrics.refused();
    metrics.timedOut(TimeoutKind::Header);
    metrics.timedOut(TimeoutKind::Header);
    metrics.rejected(Rejection::Overload);

    const std::string text = registry.renderPrometheus();
    EXPECT_TRUE(contains(text, R"(micro_order_http_open_connections{instance="orders"} 1)")) << text;
    EXPECT_TRUE(contains(text, R"(micro_order_http_worker_queue_depth{instance="orders"} 7)"));
    EXPECT_TRUE(contains(text, R"(micro_order_http_connections_refused_total{instance="orders"} 1)"));
    EXPECT_TRUE(contains(text, R"(micro_order_http_timeouts_total{instance="orders",kind="header"} 2)"));
    for (const auto* kind : {"body", "keep_alive", "send"}) {
        EXPECT_TRUE(
            contains(text, std::string(R"(micro_order_http_timeouts_total{instance="orders",kind=")") + kind + "\"} 0"))
            << kind;
    }
    EXPECT_TRUE(contains(text, R"(micro_order_http_requests_rejected_total{instance="orders",reason="overload"} 1)"));
    for (const auto* reason : {"header_too_large", "uri_too_long", "bad_request", "body_too_large"}) {
        EXPECT_TRUE(contains(
            text,
            std::string(R"(micro_order_http_requests_rejected_total{instance="orders",reason=")") + reason + "\"} 0"))
            << reason;
    }
}

}  // namespace
}  // namespace micro_order::host
