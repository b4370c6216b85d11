// The drop-in plugin example (examples/order_summary), built out of tree against the SDK this
// build exports (fixture `order_summary_plugin`), loaded by the real host from a plugin folder of
// its own next to the build's plugins, sharing the orders database with the orders plugin.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "support/broker_client.hpp"
#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

/// Where the fixture built order_summary.so (MICRO_ORDER_ORDER_SUMMARY_DIR, set by ctest).
std::string orderSummaryDir() {
    const char* dir = std::getenv("MICRO_ORDER_ORDER_SUMMARY_DIR");
    if (!dir || !*dir) {
        throw std::runtime_error("MICRO_ORDER_ORDER_SUMMARY_DIR is not set: run this test through ctest");
    }
    return dir;
}

/// The orders plugin publishes orders.create into the run's vhost, where the workflow tests
/// consume it: declare it as the plugins do and leave it empty (RESOURCE_LOCK workflow_queues).
void purgeOrdersCreate() {
    BrokerClient broker;
    broker.connection().declareExchange("orders", "direct", false);
    broker.declareQueue("orders.create", "orders", "orders.create");
    broker.purge("orders.create");
}

/// yamlHeader() with the example's folder after the build's plugins in plugin_path.
std::string headerWithExamplePlugins() {
    std::string header = yamlHeader();
    const std::string line = "plugin_path: " + pluginDir() + "\n";
    const auto at = header.find(line);
    if (at == std::string::npos) {
        throw std::runtime_error("yamlHeader() has no line '" + line + "'");
    }
    return header.replace(at, line.size(), "plugin_path: [" + pluginDir() + ", " + orderSummaryDir() + "]\n");
}

/// Holds the workflow_queues lock: leaves orders.create empty before and after.
class OrderSummaryPlugin : public ::testing::Test {
protected:
    void SetUp() override { purgeOrdersCreate(); }

    void TearDown() override {
        if (host_ && (HasFailure() || std::getenv("MICRO_ORDER_TEST_SHOW_LOG"))) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end of host log ---\n";
        }
        host_.reset();
        purgeOrdersCreate();
    }

    std::unique_ptr<HostProcess> host_;
};

TEST_F(OrderSummaryPlugin, CountsOrdersOfTheSharedDatabaseByStatus) {
    const unsigned short ordersPort = freePort();
    unsigned short summaryPort = freePort();
    while (summaryPort == ordersPort) {
        summaryPort = freePort();
    }
    host_ = std::make_unique<HostProcess>(headerWithExamplePlugins() + "databases:\n" + yamlDatabase("orders") +
                                          "plugins:\n"
                                          "  - name: orders\n"
                                          "    library: orders\n"
                                          "    listen: 127.0.0.1:" +
                                          std::to_string(ordersPort) +
                                          "\n"
                                          "    database: orders\n"
                                          "  - name: order_summary\n"
                                          "    library: order_summary\n"
                                          "    listen: 127.0.0.1:" +
                                          std::to_string(summaryPort) +
                                          "\n"
                                          "    database: orders\n");
    host_->waitUntilReady();

    const HttpResult empty = httpRequest(summaryPort, "GET", "/summary/");
    EXPECT_EQ(empty.status, 200) << empty.body;
    EXPECT_EQ(json(empty.body)->size(), 0u) << empty.body;

    for (int customer : {1, 2}) {
        const HttpResult created =
            httpRequest(ordersPort, "POST", "/orders/", "{\"customer\": " + std::to_string(customer) + "}");
        ASSERT_EQ(created.status, 201) << created.body;
    }

    const HttpResult summary = httpRequest(summaryPort, "GET", "/summary/");
    EXPECT_EQ(summary.status, 200) << summary.body;
    EXPECT_EQ(summary.contentType.rfind("application/json", 0), 0u) << summary.contentType;
    const auto counts = json(summary.body);
    EXPECT_EQ(counts->size(), 1u) << summary.body;
    EXPECT_EQ(counts->optValue<int>("PROCESSING", -1), 2) << summary.body;

    host_->terminate();
    EXPECT_EQ(host_->wait(), 0);
}

}  // namespace
}  // namespace micro_order::testing
