// The order workflow end to end: real hosts, real RabbitMQ, real SQLite files or PostgreSQL
// databases (the tests that write through the database run on both).

#include <atomic>
#include <thread>

#include "workflow_fixture.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

TEST_P(ConnectorWorkflowTest, OrderForExistingCustomerIsShippedAndUnknownCustomerCancelled) {
    auto host = startHost(allInOneYaml());
    const int customer = createCustomer("user@email.com");
    const int shipped = createOrder(customer);
    const int cancelled = createOrder(customer + 1000);

    const auto states = waitForFinalStates();
    EXPECT_EQ(states.at(shipped), "SHIPPED");
    EXPECT_EQ(states.at(cancelled), "CANCELLED");
    const auto shippings = shippingsByOrder();
    EXPECT_EQ(shippings.at(shipped), std::vector<std::string>{"SUCCESS"});
    EXPECT_EQ(shippings.at(cancelled), std::vector<std::string>{"FAIL"});
    // Both orders were timed from creation to final state, on any listener's /metrics (observed
    // just after the commit that made them final, so allow it a moment).
    const std::string timed = R"(micro_order_workflow_age_seconds_count{queue="shippings.update"} 2)";
    HttpResult metrics;
    for (int i = 0; i < 100; ++i) {
        metrics = httpRequest(customersPort_, "GET", "/metrics");
        if (metrics.body.find(timed) != std::string::npos) {
            break;
        }
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_NE(metrics.body.find(timed), std::string::npos) << metrics.body;
    // Orders by status, counted by the orders plugin (at most a second old).
    for (int i = 0; i < 100; ++i) {
        metrics = httpRequest(ordersPort_, "GET", "/metrics");
        if (metrics.body.find(R"(micro_order_orders{instance="orders",status="SHIPPED"} 1)") != std::string::npos &&
            metrics.body.find(R"(micro_order_orders{instance="orders",status="CANCELLED"} 1)") != std::string::npos) {
            break;
        }
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_NE(metrics.body.find(R"(micro_order_orders{instance="orders",status="SHIPPED"} 1)"), std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find(R"(micro_order_orders{instance="orders",status="CANCELLED"} 1)"), std::string::npos);
    EXPECT_NE(metrics.body.find(R"(micro_order_orders{instance="orders",status="PROCESSING"} 0)"), std::string::npos);
}

TEST_P(ConnectorWorkflowTest, ThreeHostsOnePerServiceCompleteTheWorkflow) {
    auto customers = startHost(serviceYaml("customers"));
    auto shippings = startHost(serviceYaml("shippings"));
    auto orders = startHost(serviceYaml("orders"));
    const int customer = createCustomer("three@hosts.example");
    const int shipped = createOrder(customer);
    const int cancelled = createOrder(customer + 1000);

    const auto states = waitForFinalStates();
    EXPECT_EQ(states.at(shipped), "SHIPPED");
    EXPECT_EQ(states.at(cancelled), "CANCELLED");
    EXPECT_EQ(shippingsByOrder().at(shipped), std::vector<std::string>{"SUCCESS"});
}

// Logging, the same on either connector: SQLite only.
TEST_F(WorkflowTest, LogLinesFollowOneOrderAcrossServicesByOrderAndCorrelationId) {
    auto host =
        startHost(allInOneYaml().replace(allInOneYaml().find("log_level: information"), 22, "log_level: debug"));
    const int order = createOrder(createCustomer("follow@me.example"));
    waitForFinalStates();
    const std::string log = host->log();
    // Each of the four steps logs the message it handled with the order id.
    for (const std::string queue : {"orders.create", "customers.request", "customers.detail", "shippings.update"}) {
        EXPECT_NE(log.find("handled queue=" + queue + " message="), std::string::npos) << queue;
    }
    const std::string marker = "order=" + std::to_string(order) + " correlation=";
    const auto first = log.find(marker);
    ASSERT_NE(first, std::string::npos);
    const std::string correlation = log.substr(first + marker.size(), 36);
    std::size_t lines = 0;
    for (auto at = log.find(correlation); at != std::string::npos; at = log.find(correlation, at + 1)) {
        ++lines;
    }
    EXPECT_EQ(lines, 4u) << "one line per step carries the order's correlation id";
}

TEST_P(ConnectorWorkflowTest, HundredsOfConcurrentOrdersAllFinishWithOneShippingEachAndEmptyOutboxes) {
    auto host = startHost(allInOneYaml());
    const int customer = createCustomer("many@orders.example");
    constexpr int kThreads = 6;
    constexpr int kPerThread = 50;
    std::atomic<int> created{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < kThreads; ++t) {
        clients.emplace_back([&, t] {
            HttpClient client(ordersPort_);
            for (int i = 0; i < kPerThread; ++i) {
                // Every third order names a customer that does not exist.
                const int who = (i % 3 == 0) ? customer + 5000 + t : customer;
                const HttpResult result = client.post("/orders/", R"({"customer": )" + std::to_string(who) + "}");
                if (result.status == 201) {
                    ++created;
                }
            }
        });
    }
    for (auto& client : clients) {
        client.join();
    }
    ASSERT_EQ(created.load(), kThreads * kPerThread);

    const auto states = waitForFinalStates(60s);
    ASSERT_EQ(states.size(), static_cast<std::size_t>(kThreads * kPerThread));
    int shipped = 0;
    int cancelled = 0;
    for (const auto& [id, status] : states) {
        shipped += status == "SHIPPED";
        cancelled += status == "CANCELLED";
    }
    EXPECT_EQ(cancelled, kThreads * ((kPerThread + 2) / 3));
    EXPECT_EQ(shipped + cancelled, kThreads * kPerThread);
    const auto shippings = shippingsByOrder();
    EXPECT_EQ(shippings.size(), states.size());
    for (const auto& [order, statuses] : shippings) {
        EXPECT_EQ(statuses.size(), 1u) << "order " << order;
    }
    // Every event was confirmed by the broker and left its outbox.
    for (const std::string database : {"orders", "shippings", "customers"}) {
        EXPECT_EQ(outboxRowsOnceSettled(host->folder(), database), 0) << database;
    }
}

INSTANTIATE_TEST_SUITE_P(Connectors, ConnectorWorkflowTest, kEveryConnector, ConnectorParamName());

}  // namespace
}  // namespace micro_order::testing
