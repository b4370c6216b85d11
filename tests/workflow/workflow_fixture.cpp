#include "workflow_fixture.hpp"

#include <iostream>
#include <thread>

#include "support/workflow_steps.hpp"

using namespace std::chrono_literals;

namespace micro_order::testing {

const std::vector<std::string> kWorkflowQueues{"orders.create", "customers.request", "customers.detail",
                                               "shippings.update"};

namespace {

std::string serviceBlock(const std::string& service, unsigned short port) {
    return "  - name: " + service + "\n    library: " + service + "\n    listen: 127.0.0.1:" + std::to_string(port) +
           "\n    database: " + service + "\n";
}

std::string consumerBlock(const std::string& step, const std::string& database) {
    return "  - name: " + step + "\n    library: consumers\n    database: " + database +
           "\n    config:\n      handler: " + step + "\n      prefetch: 5\n";
}

}  // namespace

void WorkflowTest::SetUp() {
    ordersPort_ = freePort();
    shippingsPort_ = freePort();
    customersPort_ = freePort();
    // Start from empty queues: an earlier test may have left messages for orders it owned.
    for (const auto& queue : kWorkflowQueues) {
        try {
            BrokerClient broker;
            broker.purge(queue);
        } catch (const std::exception&) {
            // Not declared yet in this vhost: nothing to purge.
        }
    }
}

void WorkflowTest::TearDown() {
    if (HasFailure() || std::getenv("MICRO_ORDER_TEST_SHOW_LOG")) {
        for (HostProcess* host : hosts_) {
            std::cerr << "--- log of the host in " << host->folder() << " ---\n" << host->log() << "--- end ---\n";
        }
    }
}

std::string WorkflowTest::allInOneYaml(const std::string& brokerUrl) const {
    std::string yaml = yamlHeader("information", 5000);
    yaml.replace(yaml.find(amqpUrl()), amqpUrl().size(), brokerUrl);
    yaml += "databases:\n" + databases_.yaml("customers") + databases_.yaml("orders") + databases_.yaml("shippings");
    yaml += "plugins:\n" + serviceBlock("customers", customersPort_) + serviceBlock("orders", ordersPort_) +
            serviceBlock("shippings", shippingsPort_);
    for (const WorkflowStep& step : kWorkflowSteps) {
        yaml += consumerBlock(step.name, step.database);
    }
    return yaml;
}

std::string WorkflowTest::serviceYaml(const std::string& service) const {
    const unsigned short port = service == "orders"      ? ordersPort_
                                : service == "shippings" ? shippingsPort_
                                                         : customersPort_;
    std::string yaml = yamlHeader("information", 5000) + "databases:\n" + databases_.yaml(service) + "plugins:\n" +
                       serviceBlock(service, port);
    for (const WorkflowStep& step : kWorkflowSteps) {
        if (step.database == service) {
            yaml += consumerBlock(step.name, step.database);
        }
    }
    return yaml;
}

std::unique_ptr<HostProcess> WorkflowTest::startHost(const std::string& yaml, const std::string& folder) {
    auto host = folder.empty() ? std::make_unique<HostProcess>(yaml) : std::make_unique<HostProcess>(yaml, folder);
    hosts_.push_back(host.get());
    host->waitUntilReady();
    for (const WorkflowStep& step : kWorkflowSteps) {
        if (yaml.find("handler: " + step.name) != std::string::npos) {
            EXPECT_TRUE(host->waitForLog("consuming " + step.queue)) << host->log();
        }
    }
    return host;
}

int WorkflowTest::createCustomer(const std::string& email) {
    const HttpResult result = httpRequest(customersPort_, "POST", "/customers/",
                                          R"({"email": ")" + email + R"(", "address": "Moutain View, 33"})");
    EXPECT_EQ(result.status, 201) << result.body;
    return json(result.body)->getValue<int>("id");
}

int WorkflowTest::createOrder(int customer) {
    const HttpResult result =
        httpRequest(ordersPort_, "POST", "/orders/", R"({"customer": )" + std::to_string(customer) + "}");
    EXPECT_EQ(result.status, 201) << result.body;
    return json(result.body)->getValue<int>("id");
}

std::map<int, std::string> WorkflowTest::waitForFinalStates(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    HttpClient client(ordersPort_);
    for (;;) {
        const HttpResult processing = client.get("/orders/?status=PROCESSING&limit=1");
        if (processing.status == 200 && jsonArray(processing.body)->size() == 0) {
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ADD_FAILURE() << "orders still PROCESSING after " << timeout.count() << " s";
            break;
        }
        std::this_thread::sleep_for(50ms);
    }
    std::map<int, std::string> states;
    for (int offset = 0;; offset += 1000) {
        const HttpResult page = client.get("/orders/?limit=1000&offset=" + std::to_string(offset));
        const auto orders = jsonArray(page.body);
        for (std::size_t i = 0; i < orders->size(); ++i) {
            const auto order = orders->getObject(static_cast<unsigned>(i));
            states[order->getValue<int>("id")] = order->getValue<std::string>("status");
        }
        if (orders->size() < 1000) {
            return states;
        }
    }
}

std::map<int, std::vector<std::string>> WorkflowTest::shippingsByOrder() {
    std::map<int, std::vector<std::string>> shippings;
    HttpClient client(shippingsPort_);
    for (int offset = 0;; offset += 1000) {
        const HttpResult page = client.get("/shippings/?limit=1000&offset=" + std::to_string(offset));
        const auto rows = jsonArray(page.body);
        for (std::size_t i = 0; i < rows->size(); ++i) {
            const auto shipping = rows->getObject(static_cast<unsigned>(i));
            shippings[shipping->getValue<int>("order")].push_back(shipping->getValue<std::string>("status"));
        }
        if (rows->size() < 1000) {
            return shippings;
        }
    }
}

int WorkflowTest::outboxRows(const std::string& folder, const std::string& database) {
    return static_cast<int>(databases_.scalar(folder, database, "SELECT COUNT(*) FROM micro_order_outbox"));
}

int WorkflowTest::outboxRowsOnceSettled(const std::string& folder, const std::string& database,
                                        std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int rows = outboxRows(folder, database);
    while (rows != 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        rows = outboxRows(folder, database);
    }
    return rows;
}

}  // namespace micro_order::testing
