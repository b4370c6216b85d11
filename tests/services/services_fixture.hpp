#pragma once

// The three service plugins (customers, orders, shippings) in one real host on loopback ports,
// for the HTTP tests of this folder. Every test gets a host of its own in a fresh folder (fresh
// SQLite files, ids from 1) and starts with the workflow queues of the run's vhost empty: the
// orders plugin publishes orders.create there, and the workflow tests consume those queues
// (ctest keeps the two apart with RESOURCE_LOCK workflow_queues).

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support/broker_client.hpp"
#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {

/// The workflow queues and the exchange each is bound to; the routing key is the queue's name.
inline constexpr std::array<std::pair<const char*, const char*>, 4> kWorkflowQueues{{
    {"orders.create", "orders"},
    {"customers.request", "customers"},
    {"customers.detail", "customers"},
    {"shippings.update", "shippings"},
}};

/// Declares the workflow topology as the plugins do (direct, non-durable exchanges; durable
/// queues) so that the queues exist on a fresh vhost, then empties them.
inline void purgeWorkflowQueues() {
    BrokerClient broker;
    for (const char* exchange : {"orders", "customers", "shippings"}) {
        broker.connection().declareExchange(exchange, "direct", false);
    }
    for (const auto& [queue, exchange] : kWorkflowQueues) {
        broker.declareQueue(queue, exchange, queue);
        broker.purge(queue);
    }
}

/// shippings_shipping.status as stored.
inline constexpr int kShippingProcessing = 0;
inline constexpr int kShippingSuccess = 1;
inline constexpr int kShippingFail = 2;
/// orders_order.status as stored.
inline constexpr int kOrderShipped = 1;
inline constexpr int kOrderCancelled = 2;

struct ServicePorts {
    unsigned short customers = 0;
    unsigned short orders = 0;
    unsigned short shippings = 0;
};

/// Three ports on 127.0.0.1 that were free a moment ago, all different.
inline ServicePorts freeServicePorts() {
    std::set<unsigned short> ports;
    while (ports.size() < 3) {
        ports.insert(freePort());
    }
    auto it = ports.begin();
    ServicePorts result;
    result.customers = *it++;
    result.orders = *it++;
    result.shippings = *it;
    return result;
}

/// A host running only the three service plugins, each on its own database next to the YAML;
/// the orders listener with `ordersPublicUrl` as its public_url when one is given.
inline std::string servicesYaml(const ServicePorts& ports, const std::string& ordersPublicUrl = "") {
    auto service = [](const std::string& name, unsigned short port, const std::string& publicUrl = "") {
        const std::string address = "127.0.0.1:" + std::to_string(port);
        const std::string listen =
            publicUrl.empty() ? address : "{address: " + address + ", public_url: \"" + publicUrl + "\"}";
        return "  - name: " + name + "\n    library: " + name + "\n    listen: " + listen + "\n    database: " + name +
               "\n";
    };
    return yamlHeader() +
           "http:\n"
           "  worker_threads: 16\n"
           "databases:\n" +
           yamlDatabase("customers") + yamlDatabase("orders") + yamlDatabase("shippings") + "plugins:\n" +
           service("customers", ports.customers) + service("orders", ports.orders, ordersPublicUrl) +
           service("shippings", ports.shippings);
}

/// One statement on a SQLite file of a running host (WAL: the host may keep it open).
inline void executeSql(const std::string& file, const std::string& sql) {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session("SQLite", file);
    session << sql, Poco::Data::Keywords::now;
}

/// The `id` of every element of a JSON array of objects, in order.
inline std::vector<std::int64_t> idsOf(const std::string& body) {
    std::vector<std::int64_t> ids;
    const Poco::JSON::Array::Ptr array = jsonArray(body);
    for (std::size_t i = 0; i < array->size(); ++i) {
        ids.push_back(array->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("id"));
    }
    return ids;
}

/// 1, 2, …, n.
inline std::vector<std::int64_t> idsUpTo(std::int64_t n, std::int64_t first = 1) {
    std::vector<std::int64_t> ids;
    for (std::int64_t id = first; id <= n; ++id) {
        ids.push_back(id);
    }
    return ids;
}

/// The URL of a `Link: <URL>; rel="next"` header, or an empty string without one.
inline std::string nextLink(const HttpResult& result) {
    const std::string link = result.header("Link");
    const auto open = link.find('<');
    const auto close = link.find('>');
    if (open == std::string::npos || close == std::string::npos || link.find("rel=\"next\"") == std::string::npos) {
        return {};
    }
    return link.substr(open + 1, close - open - 1);
}

/// Base class of the tests: the host is up on ports_ when a test body runs.
class ServicesTest : public ::testing::Test {
protected:
    void SetUp() override {
        purgeWorkflowQueues();
        ports_ = freeServicePorts();
        startHost();
    }

    void TearDown() override {
        if (host_ && (HasFailure() || std::getenv("MICRO_ORDER_TEST_SHOW_LOG"))) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end of host log ---\n";
        }
    }

    /// Starts the host in a temporary folder of its own, or in `folder` (a restart on the same
    /// files), and waits until it serves.
    void startHost(const std::string& folder = "") {
        host_.reset();
        host_ = folder.empty() ? std::make_unique<HostProcess>(servicesYaml(ports_))
                               : std::make_unique<HostProcess>(servicesYaml(ports_), folder);
        host_->waitUntilReady();
    }

    /// SIGTERM: the host must stop cleanly.
    void stopHost() {
        host_->terminate();
        ASSERT_EQ(host_->wait(), 0) << host_->log();
    }

    HttpResult customers(const std::string& method, const std::string& path, const std::string& body = "",
                         const std::string& contentType = "application/json") {
        return httpRequest(ports_.customers, method, path, body, contentType);
    }
    HttpResult orders(const std::string& method, const std::string& path, const std::string& body = "",
                      const std::string& contentType = "application/json") {
        return httpRequest(ports_.orders, method, path, body, contentType);
    }
    HttpResult shippings(const std::string& method, const std::string& path, const std::string& body = "",
                         const std::string& contentType = "application/json") {
        return httpRequest(ports_.shippings, method, path, body, contentType);
    }

    /// POSTs `count` customers (user<n>@email.com) on one keep-alive connection; asserts 201.
    void createCustomers(int count) {
        HttpClient client(ports_.customers);
        for (int i = 0; i < count; ++i) {
            const HttpResult result =
                client.post("/customers/", R"({"email": "user)" + std::to_string(i) +
                                               R"(@email.com", "address": "Street )" + std::to_string(i) + "\"}");
            ASSERT_EQ(result.status, 201) << result.body;
        }
    }

    /// POSTs one order per customer in `customerIds`, on one keep-alive connection; asserts 201.
    void createOrders(const std::vector<std::int64_t>& customerIds) {
        HttpClient client(ports_.orders);
        for (const auto customer : customerIds) {
            const HttpResult result = client.post("/orders/", R"({"customer": )" + std::to_string(customer) + "}");
            ASSERT_EQ(result.status, 201) << result.body;
        }
    }

    /// `count` orders, all for customer 1.
    void createOrders(int count) { createOrders(std::vector<std::int64_t>(static_cast<std::size_t>(count), 1)); }

    /// <host folder>/<name>.sqlite3, migrated by the host.
    std::string databaseFile(const std::string& name) const { return host_->folder() + "/" + name + ".sqlite3"; }

    /// What only the workflow creates, written straight into the shippings database.
    void insertShipping(std::int64_t id, std::int64_t order, int status, const std::string& shippedAt) {
        executeSql(databaseFile("shippings"),
                   "INSERT INTO shippings_shipping (id, order_id, status, shipped_at) VALUES (" + std::to_string(id) +
                       ", " + std::to_string(order) + ", " + std::to_string(status) + ", '" + shippedAt + "')");
    }

    ServicePorts ports_;
    std::unique_ptr<HostProcess> host_;
};

}  // namespace micro_order::testing
