#include "docs/status_page.hpp"

#include <Poco/Util/MapConfiguration.h>
#include <gtest/gtest.h>

#include <cmath>

#include "docs/status_monitor.hpp"

namespace micro_order::docs {
namespace {

using namespace std::chrono_literals;

/// What a host's /metrics says with `finished` orders finished, all within 25 ms, and `orders`
/// PROCESSING.
std::string hostMetrics(int finished, int processing, bool brokerUp = true) {
    return "micro_order_orders{instance=\"orders\",status=\"PROCESSING\"} " + std::to_string(processing) +
           "\n"
           "micro_order_orders{instance=\"orders\",status=\"SHIPPED\"} " +
           std::to_string(finished) +
           "\n"
           "micro_order_workflow_age_seconds_bucket{queue=\"shippings.update\",le=\"0.01\"} 0\n"
           "micro_order_workflow_age_seconds_bucket{queue=\"shippings.update\",le=\"0.025\"} " +
           std::to_string(finished) +
           "\n"
           "micro_order_workflow_age_seconds_bucket{queue=\"shippings.update\",le=\"+Inf\"} " +
           std::to_string(finished) +
           "\n"
           "micro_order_workflow_age_seconds_count{queue=\"shippings.update\"} " +
           std::to_string(finished) +
           "\n"
           "micro_order_outbox_backlog{database=\"orders\"} 3\n"
           "micro_order_dead_letter_messages 2\n"
           "micro_order_broker_connected{connection=\"outbox orders\"} " +
           (brokerUp ? "1" : "0") + "\n";
}

StatusSample sampleAt(double seconds, int finished, bool withGhost = false) {
    std::vector<HostMetrics> hosts{{"orders", hostMetrics(finished, 4), ""}};
    if (withGhost) {
        hosts.push_back({"ghost", std::nullopt, "http://127.0.0.1:1/metrics: Connection refused"});
    }
    return summarize(hosts, Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(seconds * 1e6)));
}

TEST(StatusSample, SumsTheHostsAndSaysWhatTheyLack) {
    const StatusSample sample =
        summarize({{"orders", hostMetrics(10, 4, false), ""}, {"ghost", std::nullopt, "refused"}});
    EXPECT_EQ(sample.ordersByStatus.at("PROCESSING"), 4);
    EXPECT_EQ(sample.finished, 10);
    EXPECT_EQ(sample.outboxBacklog, 3);
    EXPECT_EQ(sample.deadLetters, 2);
    EXPECT_EQ(sample.problems, std::vector<std::string>{"orders: broker not connected (outbox orders)"});
    ASSERT_EQ(sample.hosts.size(), 2u);
    EXPECT_FALSE(sample.hosts[1].up);
}

TEST(StatusSample, ThroughputAndIntervalPercentilesComeFromTwoSamples) {
    const StatusSample before = sampleAt(100, 10);
    const StatusSample after = sampleAt(102, 30);
    EXPECT_DOUBLE_EQ(throughput(before, after), 10);
    const double median = intervalQuantile(0.5, before, after);
    EXPECT_GT(median, 0.01);
    EXPECT_LE(median, 0.025);
    EXPECT_TRUE(std::isnan(intervalQuantile(0.5, after, after))) << "nothing finished in between";
    EXPECT_TRUE(std::isnan(throughput(after, sampleAt(104, 5)))) << "a restarted host's counters began again";
}

TEST(StatusPage, DrawsTheChartAndTheNumbers) {
    std::deque<StatusSample> samples{sampleAt(100, 0), sampleAt(105, 10), sampleAt(110, 25)};
    const std::string page = renderStatusPage(samples, 10min, 5s);
    EXPECT_NE(page.find("<svg id=\"chart\""), std::string::npos);
    EXPECT_NE(page.find("stroke=\"#1f77b4\" stroke-width=\"3\" points=\""), std::string::npos) << page;
    EXPECT_NE(page.find("All 1 hosts up."), std::string::npos) << page;
    EXPECT_NE(page.find("<tr><th>Orders PROCESSING</th> <td>4</td></tr>"), std::string::npos) << page;
    EXPECT_NE(page.find("<tr><th>Final states per second (last minute)</th> <td>2.5</td></tr>"), std::string::npos)
        << page;
    EXPECT_NE(page.find("<meta http-equiv=\"refresh\" content=\"5\">"), std::string::npos);
    EXPECT_EQ(page.find("<script"), std::string::npos);
    EXPECT_EQ(renderStatusPage(samples, 10min, 0s).find("http-equiv=\"refresh\""), std::string::npos);
}

TEST(StatusPage, SaysWhichHostIsDownAndWhy) {
    std::deque<StatusSample> samples{sampleAt(100, 0, true), sampleAt(105, 1, true)};
    const std::string page = renderStatusPage(samples, 10min, 5s);
    EXPECT_NE(page.find("1 of 2 hosts down: ghost"), std::string::npos) << page;
    EXPECT_NE(page.find("<td>ghost</td> <td class=\"down\">down: http://127.0.0.1:1/metrics: Connection refused"),
              std::string::npos)
        << page;
}

TEST(StatusPage, WithoutFinishedOrdersTheChartSaysSo) {
    const std::string page = renderStatusPage({sampleAt(100, 0)}, 10min, 5s);
    EXPECT_NE(page.find("no order reached its final state in this time"), std::string::npos);
    EXPECT_EQ(page.find("<polyline"), std::string::npos);
}

TEST(StatusMonitor, KeepsTheSamplesOfTheHistoryOnly) {
    StatusConfig config;
    config.metrics = {{"orders", Poco::URI("http://127.0.0.1:1/metrics")}};
    config.interval = 30s;
    config.history = 1min;
    int calls = 0;
    StatusMonitor monitor(config, 1s,
                          [&](const DocsSource&, std::chrono::milliseconds) { return hostMetrics(++calls, 0); });
    for (int i = 0; i < 10; ++i) {
        monitor.sampleNow();
    }
    const auto samples = monitor.samples();
    ASSERT_EQ(samples.size(), 3u);  // a minute of 30 s intervals, both ends
    EXPECT_EQ(samples.back().finished, 10);
}

TEST(StatusMonitor, AHostThatCannotBeReadIsDownWithTheReason) {
    StatusConfig config;
    config.metrics = {{"ghost", Poco::URI("http://127.0.0.1:1/metrics")}};
    StatusMonitor monitor(config, 1s, [](const DocsSource&, std::chrono::milliseconds) -> std::string {
        throw std::runtime_error("Connection refused");
    });
    monitor.sampleNow();
    const auto samples = monitor.samples();
    ASSERT_EQ(samples.size(), 1u);
    EXPECT_FALSE(samples.back().hosts.at(0).up);
    EXPECT_EQ(samples.back().hosts.at(0).problem, "http://127.0.0.1:1/metrics: Connection refused");
}

TEST(StatusConfig, ReadsTheStatusSection) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
    config->setString("sources[0].name", "orders");
    config->setString("sources[0].url", "http://127.0.0.1:8000/openapi.json");
    config->setString("status.metrics[0].name", "orders");
    config->setString("status.metrics[0].url", "http://127.0.0.1:8000/metrics");
    config->setString("status.interval_ms", "250");
    const DocsConfig read = readDocsConfig(*config);
    ASSERT_TRUE(read.status.has_value());
    EXPECT_EQ(read.status->metrics.at(0).url.toString(), "http://127.0.0.1:8000/metrics");
    EXPECT_EQ(read.status->interval, 250ms);
    EXPECT_EQ(read.status->history, 10min);
    config->setString("status.metrics[0].url", "ftp://x/");
    EXPECT_THROW(readDocsConfig(*config), std::invalid_argument);
}

}  // namespace
}  // namespace micro_order::docs
