// The broker as a cluster: `broker.url` names several nodes, tried in the order written, and
// `broker.queue_type: quorum` declares replicated queues (here on the single-node broker).

#include <Poco/URI.h>

#include "support/test_vhost.hpp"
#include "workflow_fixture.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

std::string withQueueType(std::string yaml, const std::string& type) {
    yaml.replace(yaml.find("broker:\n"), 8, "broker:\n  queue_type: " + type + "\n");
    return yaml;
}

/// `name type` of every queue in `vhost`, one a line, from rabbitmqctl.
std::string queueTypes(const TestVhost& vhost) {
    const std::string name = vhost.url().substr(vhost.url().rfind('/') + 1);
    std::string output;
    EXPECT_EQ(runShell("rabbitmqctl -q list_queues -p " + name + " name type", &output), 0) << output;
    return output;
}

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

TEST_F(WorkflowTest, QuorumQueuesCarryTheWholeWorkflowAndAClassicHostOnThemSaysWhichQueueAndSetting) {
    // A vhost of its own: the run's vhost holds these queues as classic ones.
    const TestVhost vhost("micro-order-quorum");
    {
        auto host = startHost(withQueueType(allInOneYaml(vhost.url()), "quorum"));
        const int customer = createCustomer("quorum@cluster.example");
        std::vector<int> orders;
        for (int i = 0; i < 10; ++i) {
            orders.push_back(createOrder(i % 2 ? customer : customer + 1000));  // shipped, cancelled
        }
        const auto states = waitForFinalStates(60s);
        for (std::size_t i = 0; i < orders.size(); ++i) {
            ASSERT_EQ(states.count(orders[i]), 1u);
            EXPECT_EQ(states.at(orders[i]), i % 2 ? "SHIPPED" : "CANCELLED") << "order " << orders[i];
        }
        const std::string types = queueTypes(vhost);
        for (const std::string queue : {"orders.create", "customers.request", "customers.detail", "shippings.update",
                                        "micro-order.dead-letter"}) {
            EXPECT_NE(types.find(queue + "\tquorum"), std::string::npos) << types;
        }
        host->terminate();
        EXPECT_EQ(host->wait(), 0);
    }
    hosts_.clear();

    // A host left at the default (classic) meets the quorum queues: a clear error, not a loop of
    // vague reconnects.
    HostProcess classic(allInOneYaml(vhost.url()));
    classic.waitUntilReady();
    EXPECT_TRUE(classic.waitForLog("exists as another type than broker.queue_type (classic)", 15s)) << classic.log();
    bool named = false;  // the first queue the topology declares: which one depends on load order
    for (const std::string& queue : kWorkflowQueues) {
        named = named || classic.log().find("queue '" + queue + "' on 127.0.0.1:") != std::string::npos;
    }
    EXPECT_TRUE(named) << classic.log();
}

}  // namespace
}  // namespace micro_order::testing
