#pragma once

// Base class of the tests that need a real service behind the listener: the orders plugin
// alone in a host (its own SQLite file, this run's vhost). Posting an order publishes
// orders.create into the workflow queues, so these tests hold RESOURCE_LOCK workflow_queues
// like tests/services and empty those queues first.

#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <string>

#include "http/http_test_support.hpp"
#include "services/services_fixture.hpp"
#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {

class OrdersHostTest : public ::testing::Test {
protected:
    /// Starts the orders service on a free port; `listenExtra` as in probeInstance().
    void startOrders(const std::string& listenExtra = "") {
        purgeWorkflowQueues();
        port_ = freePort();
        const std::string address = "127.0.0.1:" + std::to_string(port_);
        const std::string listen = listenExtra.empty()
                                       ? "    listen: " + address + "\n"
                                       : "    listen:\n      address: " + address + "\n      " + listenExtra + "\n";
        host_ = std::make_unique<HostProcess>(yamlHeader() + "databases:\n" + yamlDatabase("orders") +
                                              "plugins:\n  - name: orders\n    library: orders\n" + listen +
                                              "    database: orders\n");
        host_->waitUntilReady();
    }

    void TearDown() override {
        if (host_ && HasFailure()) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end of host log ---\n";
        }
    }

    /// `count` orders for customer 1, asserting 201 each.
    void createOrders(int count) {
        HttpClient client(port_);
        for (int i = 0; i < count; ++i) {
            const HttpResult result = client.post("/orders/", R"({"customer": 1})");
            ASSERT_EQ(result.status, 201) << result.body;
        }
    }

    unsigned short port_ = 0;
    std::unique_ptr<HostProcess> host_;
};

}  // namespace micro_order::testing
