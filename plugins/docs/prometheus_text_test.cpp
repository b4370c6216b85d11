#include "docs/prometheus_text.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace micro_order::docs {
namespace {

TEST(PrometheusText, ReadsSamplesWithAndWithoutLabelsAndSkipsComments) {
    const auto samples = parsePrometheusText(
        "# HELP micro_order_orders Orders by status\n"
        "# TYPE micro_order_orders gauge\n"
        "micro_order_orders{instance=\"orders\",status=\"SHIPPED\"} 12\n"
        "micro_order_plugin_instances 7\n"
        "micro_order_dead_letter_messages NaN\n"
        "weird{a=\"x\\\"y\"} 1.5 1700000000000\n"
        "broken{a=\"x} 3\n");
    ASSERT_EQ(samples.size(), 4u);
    EXPECT_EQ(samples[0].name, "micro_order_orders");
    EXPECT_EQ(samples[0].labels.at("status"), "SHIPPED");
    EXPECT_EQ(samples[0].value, 12);
    EXPECT_EQ(samples[1].value, 7);
    EXPECT_TRUE(std::isnan(samples[2].value));
    EXPECT_EQ(samples[3].labels.at("a"), "x\"y");
    EXPECT_EQ(samples[3].value, 1.5);
    EXPECT_EQ(select(samples, "micro_order_orders", {{"status", "SHIPPED"}}).size(), 1u);
    EXPECT_EQ(select(samples, "micro_order_orders", {{"status", "CANCELLED"}}).size(), 0u);
}

TEST(PrometheusText, HistogramQuantileInterpolatesInsideTheBucket) {
    const std::vector<std::pair<double, double>> buckets{{0.1, 50}, {0.5, 90}, {1, 100}, {INFINITY, 100}};
    EXPECT_DOUBLE_EQ(histogramQuantile(0.5, buckets), 0.1);
    EXPECT_DOUBLE_EQ(histogramQuantile(0.7, buckets), 0.3);
    EXPECT_DOUBLE_EQ(histogramQuantile(0.95, buckets), 0.75);
    EXPECT_TRUE(std::isnan(histogramQuantile(0.5, {{0.1, 0}, {INFINITY, 0}})));
    EXPECT_DOUBLE_EQ(histogramQuantile(0.99, {{1, 1}, {INFINITY, 10}}), 1) << "beyond the last bound";
}

}  // namespace
}  // namespace micro_order::docs
