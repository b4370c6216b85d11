#pragma once

// The three service plugins (customers, orders, shippings) in one real host on loopback ports,
// for the HTTP tests of this folder. Every test gets a host of its own in a fresh folder and fresh
// databases (SQLite files there, or PostgreSQL databases of this run's cluster for the tests
// parameterised by connector) and starts with the workflow queues of the run's vhost empty: the
// orders plugin publishes orders.create there, and the workflow tests consume those queues
// (ctest keeps the two apart with RESOURCE_LOCK workflow_queues).
//
// Tests that run on both connectors assert on the ids the host answered, never on exact values:
// a PostgreSQL sequence does not roll back, so ids may have gaps.

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstddef>
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
#include "support/test_database.hpp"
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

/// A host running only the three service plugins, each on its own database of `databases`;
/// the orders listener with `ordersPublicUrl` as its public_url when one is given.
inline std::string servicesYaml(const ServicePorts& ports, TestDatabases& databases,
                                const std::string& ordersPublicUrl = "") {
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
           databases.yaml("customers") + databases.yaml("orders") + databases.yaml("shippings") + "plugins:\n" +
           service("customers", ports.customers) + service("orders", ports.orders, ordersPublicUrl) +
           service("shippings", ports.shippings);
}

/// The same on SQLite files next to the YAML.
inline std::string servicesYaml(const ServicePorts& ports, const std::string& ordersPublicUrl = "") {
    TestDatabases sqlite(TestConnector::sqlite);
    return servicesYaml(ports, sqlite, ordersPublicUrl);
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

/// 1, 2, …, n (SQLite-only tests: a fresh SQLite file numbers its rows from 1 without gaps).
inline std::vector<std::int64_t> idsUpTo(std::int64_t n, std::int64_t first = 1) {
    std::vector<std::int64_t> ids;
    for (std::int64_t id = first; id <= n; ++id) {
        ids.push_back(id);
    }
    return ids;
}

/// ids[from], …, ids[to - 1].
inline std::vector<std::int64_t> slice(const std::vector<std::int64_t>& ids, std::size_t from, std::size_t to) {
    return {ids.begin() + static_cast<std::ptrdiff_t>(std::min(from, ids.size())),
            ids.begin() + static_cast<std::ptrdiff_t>(std::min(to, ids.size()))};
}

/// The `id` of a JSON object.
inline std::int64_t idOf(const std::string& body) { return json(body)->getValue<std::int64_t>("id"); }

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

/// Base class of the tests: the host is up on ports_ when a test body runs (on SQLite unless a
/// connector is given).
class ServicesTest : public ::testing::Test {
protected:
    explicit ServicesTest(TestConnector connector = TestConnector::sqlite) : databases_(connector) {}

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
        host_ = folder.empty() ? std::make_unique<HostProcess>(servicesYaml(ports_, databases_))
                               : std::make_unique<HostProcess>(servicesYaml(ports_, databases_), folder);
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
    /// The ids the host gave them, in order.
    std::vector<std::int64_t> createCustomers(int count) {
        std::vector<std::int64_t> ids;
        HttpClient client(ports_.customers);
        for (int i = 0; i < count; ++i) {
            const HttpResult result =
                client.post("/customers/", R"({"email": "user)" + std::to_string(i) +
                                               R"(@email.com", "address": "Street )" + std::to_string(i) + "\"}");
            EXPECT_EQ(result.status, 201) << result.body;
            if (result.status != 201) {
                break;
            }
            ids.push_back(idOf(result.body));
        }
        return ids;
    }

    /// POSTs one order per customer in `customerIds`, on one keep-alive connection; asserts 201.
    /// The ids the host gave them, in order.
    std::vector<std::int64_t> createOrders(const std::vector<std::int64_t>& customerIds) {
        std::vector<std::int64_t> ids;
        HttpClient client(ports_.orders);
        for (const auto customer : customerIds) {
            const HttpResult result = client.post("/orders/", R"({"customer": )" + std::to_string(customer) + "}");
            EXPECT_EQ(result.status, 201) << result.body;
            if (result.status != 201) {
                break;
            }
            ids.push_back(idOf(result.body));
        }
        return ids;
    }

    /// `count` orders, all for customer 1.
    std::vector<std::int64_t> createOrders(int count) {
        return createOrders(std::vector<std::int64_t>(static_cast<std::size_t>(count), 1));
    }

    /// Runs `sql` on database `name` of the running host behind its back; the rows it returned.
    Rows executeSql(const std::string& name, const std::string& sql) {
        return databases_.query(host_->folder(), name, sql);
    }

    /// What only the workflow creates, written straight into the shippings database.
    void insertShipping(std::int64_t id, std::int64_t order, int status, const std::string& shippedAt) {
        executeSql("shippings", "INSERT INTO shippings_shipping (id, order_id, status, shipped_at) VALUES (" +
                                    std::to_string(id) + ", " + std::to_string(order) + ", " + std::to_string(status) +
                                    ", '" + shippedAt + "')");
    }

    TestDatabases databases_;
    ServicePorts ports_;
    std::unique_ptr<HostProcess> host_;
};

/// The same tests on each connector: TEST_P with a fixture derived from this one, instantiated
/// with INSTANTIATE_TEST_SUITE_P(Connectors, <fixture>, kEveryConnector, ConnectorParamName()).
class ConnectorServicesTest : public ServicesTest, public ::testing::WithParamInterface<TestConnector> {
protected:
    ConnectorServicesTest() : ServicesTest(GetParam()) {}
};

inline const auto kEveryConnector = ::testing::Values(TestConnector::sqlite, TestConnector::postgresql);

}  // namespace micro_order::testing
