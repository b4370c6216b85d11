// Garbage and repeats on the workflow's queues: poison goes to the dead-letter queue with its
// reason, once; a repeated message id has no second effect; messages without an id (the
// original Python services send none) are still handled.

#include <thread>

#include "workflow_fixture.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kDeadLetterQueue = "micro-order.dead-letter";

struct Poison {
    std::string queue;
    std::string body;
    std::string reason;  ///< part of the x-death-reason header
};

TEST_P(ConnectorWorkflowTest, PoisonMessagesOfEachKindAreDeadLetteredWithTheirReasonAndTheConsumersGoOn) {
    auto host = startHost(allInOneYaml());
    const std::string tag = uniqueName("poison");  // tells this run's bodies from older ones
    const std::vector<Poison> poisons{
        {"orders.create", "not json " + tag, "body is not JSON"},
        {"orders.create", R"({"id": 1, "tag": ")" + tag + R"("})", "field \"customer\" is missing"},
        {"orders.create", R"({"id": "one", "customer": 1, "tag": ")" + tag + R"("})", "field \"id\" is not an integer"},
        {"customers.request", R"([")" + tag + R"("])", "body is not a JSON object"},
        {"customers.detail", R"({"id": 987654, "customer": {}, "tag": ")" + tag + R"("})",
         "no shipping with id 987654"},
        {"shippings.update", R"({"id": 1, "order": 987654, "status": 1, "tag": ")" + tag + R"("})",
         "no order with id 987654"},
        {"shippings.update", R"({"id": 1, "order": 1, "status": 7, "tag": ")" + tag + R"("})",
         "must be 1 (SUCCESS) or 2 (FAIL)"},
    };
    BrokerClient broker;
    for (const Poison& poison : poisons) {
        broker.publishToQueue(poison.queue, poison.body);
    }
    BrokerClient deadLetters;
    for (const Poison& poison : poisons) {
        const auto dead = deadLetters.getMatching(
            kDeadLetterQueue, [&](const host::AmqpDelivery& d) { return d.body == poison.body; }, 10s);
        ASSERT_TRUE(dead.has_value()) << "not dead-lettered: " << poison.body;
        EXPECT_EQ(dead->properties.headers.at("x-source-queue"), poison.queue);
        EXPECT_NE(dead->properties.headers.at("x-death-reason").find(poison.reason), std::string::npos)
            << dead->properties.headers.at("x-death-reason");
    }
    // Acked on their source queues, not requeued.
    for (const auto& queue : kWorkflowQueues) {
        EXPECT_EQ(broker.messageCount(queue), 0u) << queue;
    }
    // Logged once each, and the consumers still work.
    const std::string log = host->log();
    std::size_t logged = 0;
    for (auto at = log.find("dead-lettered"); at != std::string::npos; at = log.find("dead-lettered", at + 1)) {
        ++logged;
    }
    EXPECT_EQ(logged, poisons.size());
    const int order = createOrder(createCustomer("after@poison.example"));
    EXPECT_EQ(waitForFinalStates().at(order), "SHIPPED");
}

TEST_P(ConnectorWorkflowTest, SameMessageIdDeliveredTwiceHasOneEffect) {
    auto host = startHost(allInOneYaml());
    const int order = createOrder(createCustomer("twice@example.com"));
    ASSERT_EQ(waitForFinalStates().at(order), "SHIPPED");

    BrokerClient broker;
    host::AmqpMessageProperties properties;
    properties.messageId = uniqueName("duplicate");
    broker.publishToQueue("shippings.update", R"({"id": 1, "order": )" + std::to_string(order) + R"(, "status": 2})",
                          properties);
    for (int i = 0; i < 100 && waitForFinalStates().at(order) != "CANCELLED"; ++i) {
        std::this_thread::sleep_for(20ms);
    }
    ASSERT_EQ(waitForFinalStates().at(order), "CANCELLED");
    // The same id again, now saying SUCCESS: a second effect would ship the order.
    broker.publishToQueue("shippings.update", R"({"id": 1, "order": )" + std::to_string(order) + R"(, "status": 1})",
                          properties);
    ASSERT_TRUE(host->waitForLog("skipped duplicate queue=shippings.update message=" + properties.messageId, 10s))
        << host->log();
    EXPECT_EQ(waitForFinalStates().at(order), "CANCELLED");
}

TEST_P(ConnectorWorkflowTest, MessageWithoutMessageIdFromTheOriginalServicesIsHandled) {
    auto host = startHost(allInOneYaml());
    const int order = createOrder(createCustomer("python@original.example"));
    ASSERT_EQ(waitForFinalStates().at(order), "SHIPPED");

    BrokerClient broker;
    host::AmqpMessageProperties noId;  // as Django's pika publisher sends it
    const std::uint64_t tag =
        broker.connection().publish("shippings", "shippings.update",
                                    R"({"id": 1, "order": )" + std::to_string(order) + R"(, "status": 2})", noId, true);
    broker.connection().waitForConfirms(tag, 10s);
    for (int i = 0; i < 250 && waitForFinalStates().at(order) != "CANCELLED"; ++i) {
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(waitForFinalStates().at(order), "CANCELLED");
}

INSTANTIATE_TEST_SUITE_P(Connectors, ConnectorWorkflowTest, kEveryConnector, ConnectorParamName());

}  // namespace
}  // namespace micro_order::testing
