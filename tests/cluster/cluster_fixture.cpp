#include "cluster_fixture.hpp"

#include <libpq-fe.h>

#include <iostream>
#include <set>
#include <stdexcept>

#include "support/http_client.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"
#include "support/workflow_steps.hpp"

using namespace std::chrono_literals;

namespace micro_order::testing {

const std::vector<std::string> kServices{"orders", "shippings", "customers"};
const std::vector<std::string> kRoutingKeys{"orders.create", "customers.request", "customers.detail",
                                            "shippings.update"};

namespace {

/// The exchange each routing key is published to (README, "The workflow").
std::string exchangeOf(const std::string& routingKey) { return routingKey.substr(0, routingKey.find('.')); }

constexpr int kMissingCustomerOffset = 100000;

std::string header(const std::string& brokerUrl) {
    std::string yaml = yamlHeader("information", 5000);
    yaml.replace(yaml.find(amqpUrl()), amqpUrl().size(), brokerUrl);
    return yaml;
}

std::string databaseBlock(const std::string& name, const std::string& url) {
    return "  " + name + ":\n    connector: postgresql\n    url: " + url + "\n    pool_size: 4\n";
}

std::string serviceBlock(const std::string& service, unsigned short port) {
    return "  - name: " + service + "\n    library: " + service + "\n    listen: 127.0.0.1:" + std::to_string(port) +
           "\n    database: " + service + "\n";
}

std::string consumerBlocks(const std::string& database) {
    std::string yaml;
    for (const WorkflowStep& step : kWorkflowSteps) {
        if (step.database == database) {
            yaml += "  - name: " + step.name + "\n    library: consumers\n    database: " + database +
                    "\n    config:\n      handler: " + step.name + "\n      prefetch: 5\n";
        }
    }
    return yaml;
}

}  // namespace

OrderPoster::OrderPoster(unsigned short port, int customer, int limit, std::chrono::milliseconds pause)
    : thread_([=, this] { run(port, customer, limit, pause); }) {}

OrderPoster::~OrderPoster() {
    stop_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
}

void OrderPoster::run(unsigned short port, int customer, int limit, std::chrono::milliseconds pause) {
    auto client = std::make_unique<HttpClient>(port);
    for (int i = 0; i < limit && !stop_; ++i) {
        PostResult result;
        result.customer = i % 2 == 0 ? customer : customer + kMissingCustomerOffset;
        try {
            const HttpResult answer =
                client->post("/orders/", R"({"customer": )" + std::to_string(result.customer) + "}");
            result.status = answer.status;
            if (answer.status == 201) {
                result.id = json(answer.body)->getValue<int>("id");
            }
        } catch (const std::exception&) {
            result.status = -1;
        }
        if (result.status != 201) {
            client = std::make_unique<HttpClient>(port);  // whatever the connection's state, start afresh
        }
        result.at = std::chrono::steady_clock::now();
        {
            std::lock_guard lock(mutex_);
            results_.push_back(result);
        }
        if (result.status == 201) {
            ++created_;
        }
        std::this_thread::sleep_for(pause);
    }
    done_ = true;
}

bool OrderPoster::waitForCreated(int count, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (created_ < count) {
        if (done_ || std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

std::vector<PostResult> OrderPoster::finish(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done_ && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(done_) << "the posts did not end within " << timeout.count() << " s";
    return stop();
}

std::vector<PostResult> OrderPoster::stop() {
    stop_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
    std::lock_guard lock(mutex_);
    return results_;
}

void ClusterTest::TearDown() {
    if (HasFailure() || std::getenv("MICRO_ORDER_TEST_SHOW_LOG")) {
        for (const auto& host : hosts_) {
            std::cerr << "--- log of the host in " << host->folder() << " ---\n" << host->log() << "--- end ---\n";
        }
    }
}

std::string ClusterTest::serviceYaml(const std::string& service, unsigned short port, const std::string& brokerUrl,
                                     const std::string& databaseUrl) {
    return header(brokerUrl) + "databases:\n" + databaseBlock(service, databaseUrl) + "plugins:\n" +
           serviceBlock(service, port) + consumerBlocks(service);
}

std::string ClusterTest::allInOneYaml(const std::map<std::string, unsigned short>& ports, const std::string& brokerUrl,
                                      const std::map<std::string, std::string>& databaseUrls) {
    std::string yaml = header(brokerUrl) + "databases:\n";
    for (const std::string& service : kServices) {
        yaml += databaseBlock(service, databaseUrls.at(service));
    }
    yaml += "plugins:\n";
    for (const std::string& service : kServices) {
        yaml += serviceBlock(service, ports.at(service));
    }
    for (const std::string& service : kServices) {
        yaml += consumerBlocks(service);
    }
    return yaml;
}

HostProcess& ClusterTest::startHost(const std::string& yaml) {
    HostProcess& host = *hosts_.emplace_back(std::make_unique<HostProcess>(yaml));
    host.waitUntilReady(20s);
    for (const WorkflowStep& step : kWorkflowSteps) {
        if (yaml.find("handler: " + step.name) != std::string::npos) {
            EXPECT_TRUE(host.waitForLog("consuming " + step.queue)) << host.log();
        }
    }
    return host;
}

int ClusterTest::createCustomer(unsigned short port) {
    const HttpResult result =
        httpRequest(port, "POST", "/customers/", R"({"email": "cluster@example.com", "address": "Mountain View, 33"})");
    EXPECT_EQ(result.status, 201) << result.body;
    return json(result.body)->getValue<int>("id");
}

void declareTaps(const std::string& brokerUrl) {
    host::AmqpConnection connection(brokerUrl, 0, "micro-order cluster test taps");
    for (const std::string& key : kRoutingKeys) {
        connection.declareQueue("tap." + key, true);
        connection.bindQueue("tap." + key, exchangeOf(key), key);
    }
}

std::vector<host::AmqpDelivery> drainQueue(const std::string& brokerUrl, const std::string& queue) {
    host::AmqpConnection connection(brokerUrl, 0, "micro-order cluster test drain");
    connection.startConsuming(queue, 500);
    std::vector<host::AmqpDelivery> deliveries;
    while (auto delivery = connection.nextDelivery(500ms)) {
        connection.ack(delivery->deliveryTag);
        deliveries.push_back(std::move(*delivery));
    }
    return deliveries;
}

std::map<int, Order> waitForFinalStates(unsigned short port, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    HttpClient client(port);
    for (;;) {
        const HttpResult processing = client.get("/orders/?status=PROCESSING&limit=1");
        if (processing.status == 200 && jsonArray(processing.body)->size() == 0) {
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ADD_FAILURE() << "orders still PROCESSING after " << timeout.count() << " s: " << processing.body;
            break;
        }
        std::this_thread::sleep_for(50ms);
    }
    std::map<int, Order> orders;
    for (int offset = 0;; offset += 1000) {
        const HttpResult page = client.get("/orders/?limit=1000&offset=" + std::to_string(offset));
        const auto rows = jsonArray(page.body);
        for (std::size_t i = 0; i < rows->size(); ++i) {
            const auto order = rows->getObject(static_cast<unsigned>(i));
            orders[order->getValue<int>("id")] = {order->getValue<int>("customer"),
                                                  order->getValue<std::string>("status")};
        }
        if (rows->size() < 1000) {
            return orders;
        }
    }
}

std::int64_t postgresqlCount(const std::string& url, const std::string& sql) {
    PGconn* connection = PQconnectdb(url.c_str());
    if (PQstatus(connection) != CONNECTION_OK) {
        const std::string message = PQerrorMessage(connection);
        PQfinish(connection);
        throw std::runtime_error("cannot reach " + url + ": " + message);
    }
    PGresult* result = PQexec(connection, sql.c_str());
    const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1;
    const std::string text = ok ? PQgetvalue(result, 0, 0) : PQresultErrorMessage(result);
    PQclear(result);
    PQfinish(connection);
    if (!ok) {
        throw std::runtime_error(sql + ": " + text);
    }
    return std::stoll(text);
}

std::int64_t outboxRowsOnceSettled(const std::string& url, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::int64_t rows = postgresqlCount(url, "SELECT COUNT(*) FROM micro_order_outbox");
    while (rows != 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
        rows = postgresqlCount(url, "SELECT COUNT(*) FROM micro_order_outbox");
    }
    return rows;
}

// What "no effect happened twice" can mean when delivery is at-least-once:
// - A relay that dies between the broker's confirm and deleting its rows publishes them again
//   after the take-over, and a consumer killed between its commit and its ack gets its message
//   redelivered. Both repeat a message with the SAME message_id: allowed, and counted.
// - An effect that happened twice is a handler whose transaction committed twice for one
//   message. Every commit that publishes writes an outbox row with a fresh random message_id, so
//   it would show as a SECOND message id for the same order and routing key. So: exactly one
//   message id per order and routing key, and nothing for orders that do not exist. The
//   shippings table cannot show this (its UNIQUE order key turns a second insert into an error).
// - The last step (shippings_update) publishes nothing; its effect once is the inbox's
//   (checked by the caller: one inbox row per distinct message) and the order's single status.
int expectEachEffectOnce(const std::map<int, Order>& orders, int existingCustomer,
                         const std::map<std::string, std::vector<host::AmqpDelivery>>& taps) {
    for (const auto& [id, order] : orders) {
        EXPECT_EQ(order.status, order.customer == existingCustomer ? "SHIPPED" : "CANCELLED") << "order " << id;
    }
    int repeats = 0;
    for (const std::string& key : kRoutingKeys) {
        std::map<int, std::set<std::string>> idsByOrder;
        const auto& deliveries = taps.at(key);
        for (const host::AmqpDelivery& delivery : deliveries) {
            const auto header = delivery.properties.headers.find("order_id");
            if (header == delivery.properties.headers.end()) {
                ADD_FAILURE() << key << " message without an order_id: " << delivery.body;
                continue;
            }
            idsByOrder[std::stoi(header->second)].insert(delivery.properties.messageId);
        }
        std::size_t distinct = 0;
        for (const auto& [order, ids] : idsByOrder) {
            EXPECT_TRUE(orders.count(order)) << key << " for order " << order << ", which does not exist";
            EXPECT_EQ(ids.size(), 1u) << key << ": order " << order << " has " << ids.size()
                                      << " different messages, so a step ran twice";
            distinct += ids.size();
        }
        for (const auto& [id, order] : orders) {
            EXPECT_TRUE(idsByOrder.count(id)) << "no " << key << " message for order " << id;
        }
        repeats += static_cast<int>(deliveries.size() - distinct);
    }
    return repeats;
}

}  // namespace micro_order::testing
