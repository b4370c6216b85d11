#pragma once

// What every workflow test needs: the three services' ports, YAML for one host or one host per
// service, the databases behind them (SQLite files, or PostgreSQL databases of this run's cluster
// for the tests parameterised by connector), and ways to drive and observe orders over the real
// HTTP APIs.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/broker_client.hpp"
#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/test_database.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {

/// The workflow's queues live under fixed names in this run's vhost, so workflow tests hold
/// the ctest lock `workflow_queues` and start from empty queues.
class WorkflowTest : public ::testing::Test {
protected:
    explicit WorkflowTest(TestConnector connector = TestConnector::sqlite) : databases_(connector) {}

    void SetUp() override;
    void TearDown() override;

    /// Every service and consumer in one host, on `brokerUrl`.
    std::string allInOneYaml(const std::string& brokerUrl) const;
    std::string allInOneYaml() const { return allInOneYaml(amqpUrl()); }
    /// One service (`orders`, `shippings` or `customers`) with the consumers of its database.
    std::string serviceYaml(const std::string& service) const;

    /// Starts a host and waits until it serves and its consumers consume.
    std::unique_ptr<HostProcess> startHost(const std::string& yaml, const std::string& folder = {});

    int createCustomer(const std::string& email);
    int createOrder(int customer);
    /// Waits until no order is PROCESSING; returns every order's status by id.
    std::map<int, std::string> waitForFinalStates(std::chrono::seconds timeout = std::chrono::seconds(30));
    /// Every shipping (walking the pages): order id → its shippings' statuses.
    std::map<int, std::vector<std::string>> shippingsByOrder();
    /// Rows now in the outbox of database `database` of the host in `folder`.
    int outboxRows(const std::string& folder, const std::string& database);
    /// outboxRows() once it is 0, or after `timeout`: the relay deletes a row once the broker
    /// confirmed it, which can come after the consumer downstream already handled it.
    int outboxRowsOnceSettled(const std::string& folder, const std::string& database,
                              std::chrono::seconds timeout = std::chrono::seconds(5));

    /// The databases the YAML names; made on first use (PostgreSQL), so mutable for the YAML.
    mutable TestDatabases databases_;

    unsigned short ordersPort_ = 0;
    unsigned short shippingsPort_ = 0;
    unsigned short customersPort_ = 0;
    std::vector<HostProcess*> hosts_;  ///< whose logs to show when a test fails
};

/// The same tests on each connector: TEST_P with this fixture (or one derived from it),
/// instantiated with INSTANTIATE_TEST_SUITE_P(Connectors, <fixture>, kEveryConnector,
/// ConnectorParamName()).
class ConnectorWorkflowTest : public WorkflowTest, public ::testing::WithParamInterface<TestConnector> {
protected:
    ConnectorWorkflowTest() : WorkflowTest(GetParam()) {}
};

inline const auto kEveryConnector = ::testing::Values(TestConnector::sqlite, TestConnector::postgresql);

/// The workflow's four queues, as declared by the host.
extern const std::vector<std::string> kWorkflowQueues;

}  // namespace micro_order::testing
