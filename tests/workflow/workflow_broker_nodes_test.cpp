// The broker as a cluster: `broker.url` names several nodes, tried in the order written.

#include <Poco/URI.h>

#include "workflow_fixture.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(WorkflowTest, WithTheFirstNodeDownTheHostUsesTheNextOneAndSaysWhichAndTheWorkflowWorks) {
    Poco::URI down(amqpUrl());
    down.setPort(freePort());  // nothing listens there: connections are refused
    Poco::URI up(amqpUrl());
    auto host = startHost(allInOneYaml(down.toString() + ", " + up.toString()));

    const std::string upNode = "127.0.0.1:" + std::to_string(up.getPort()) + "/";
    EXPECT_TRUE(host->waitForLog("outbox orders: connected to the broker at " + upNode)) << host->log();
    EXPECT_NE(host->log().find("consuming orders.create (prefetch 5) from " + upNode), std::string::npos)
        << host->log();
    const int order = createOrder(createCustomer("cluster@nodes.example"));
    const auto states = waitForFinalStates(60s);
    ASSERT_EQ(states.count(order), 1u);
    EXPECT_EQ(states.at(order), "SHIPPED");
    EXPECT_EQ(host->log().find(":guest@"), std::string::npos) << "no password in the log";
}

}  // namespace
}  // namespace micro_order::testing
