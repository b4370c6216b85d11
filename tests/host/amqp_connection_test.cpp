// The host's AmqpConnection against the real broker, in this run's vhost.
#include "amqp_connection.hpp"

#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "support/broker_client.hpp"
#include "support/test_environment.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

host::AmqpConnection connect(const std::string& purpose) {
    return host::AmqpConnection(amqpUrl(), 30, "amqp_connection_test " + purpose);
}

TEST(AmqpConnection, PublishedMessageArrivesIntactAndIsGoneAfterAck) {
    const std::string queue = uniqueName("test.amqp.intact");
    BrokerClient broker;
    broker.declareQueue(queue);
    host::AmqpMessageProperties sent;
    sent.messageId = uniqueName("id");
    sent.correlationId = "correlation-1";
    sent.headers = {{"order_id", "42"}, {"x-note", "héllo"}};
    broker.publishToQueue(queue, R"({"n":1})", sent);

    {
        auto consumer = connect("consumer");
        consumer.startConsuming(queue, 1);
        const std::optional<host::AmqpDelivery> delivery = consumer.nextDelivery(5s);
        ASSERT_TRUE(delivery);
        EXPECT_EQ(delivery->body, R"({"n":1})");
        EXPECT_EQ(delivery->routingKey, queue);
        EXPECT_EQ(delivery->properties.messageId, sent.messageId);
        EXPECT_EQ(delivery->properties.correlationId, "correlation-1");
        EXPECT_EQ(delivery->properties.headers, sent.headers);
        EXPECT_FALSE(delivery->redelivered);
        consumer.ack(delivery->deliveryTag);
    }  // closing would requeue an unacked message

    EXPECT_EQ(broker.messageCount(queue), 0u);
}

TEST(AmqpConnection, UnackedMessageIsRedeliveredAfterTheConsumerCloses) {
    const std::string queue = uniqueName("test.amqp.requeue");
    BrokerClient broker;
    broker.declareQueue(queue);
    broker.publishToQueue(queue, "again");
    {
        auto consumer = connect("consumer");
        consumer.startConsuming(queue, 1);
        ASSERT_TRUE(consumer.nextDelivery(5s));
    }

    const auto delivery = broker.get(queue);

    ASSERT_TRUE(delivery);
    EXPECT_EQ(delivery->body, "again");
    EXPECT_TRUE(delivery->redelivered);
}

TEST(AmqpConnection, PrefetchBoundsUnackedDeliveries) {
    const std::string queue = uniqueName("test.amqp.prefetch");
    BrokerClient broker;
    broker.declareQueue(queue);
    for (int i = 0; i < 10; ++i) {
        broker.publishToQueue(queue, std::to_string(i));
    }
    auto consumer = connect("consumer");
    consumer.startConsuming(queue, 3);

    std::vector<host::AmqpDelivery> held;
    while (auto delivery = consumer.nextDelivery(500ms)) {
        held.push_back(*delivery);
    }
    ASSERT_EQ(held.size(), 3u);
    EXPECT_EQ(held[0].body, "0");
    EXPECT_EQ(held[2].body, "2");

    consumer.ack(held[0].deliveryTag);
    std::vector<host::AmqpDelivery> more;
    while (auto delivery = consumer.nextDelivery(500ms)) {
        more.push_back(*delivery);
    }
    ASSERT_EQ(more.size(), 1u);
    EXPECT_EQ(more[0].body, "3");
}

TEST(AmqpConnection, PublisherConfirmsCoverABatch) {
    const std::string queue = uniqueName("test.amqp.confirms");
    BrokerClient broker;
    broker.declareQueue(queue);
    auto publisher = connect("publisher");
    publisher.enableConfirms();

    std::uint64_t last = 0;
    for (int i = 0; i < 200; ++i) {
        host::AmqpMessageProperties properties;
        properties.messageId = "m" + std::to_string(i);
        last = publisher.publish("", queue, std::to_string(i), properties, true);
    }
    const host::ConfirmResult result = publisher.waitForConfirms(last, 10s);

    EXPECT_TRUE(result.nacked.empty());
    EXPECT_TRUE(result.returnedMessageIds.empty());
    EXPECT_EQ(broker.messageCount(queue), 200u);
}

TEST(AmqpConnection, UnroutableMandatoryMessageIsReportedByItsId) {
    const std::string exchange = uniqueName("test.amqp.nowhere");
    BrokerClient broker;
    broker.declareExchange(exchange);
    auto publisher = connect("publisher");
    publisher.enableConfirms();
    host::AmqpMessageProperties properties;
    properties.messageId = uniqueName("lost");

    const std::uint64_t tag = publisher.publish(exchange, "no.binding", "{}", properties, true);
    const host::ConfirmResult result = publisher.waitForConfirms(tag, 10s);

    EXPECT_EQ(result.returnedMessageIds, std::set<std::string>{properties.messageId});
}

TEST(AmqpConnection, NextDeliveryTimesOutOnAnEmptyQueue) {
    const std::string queue = uniqueName("test.amqp.empty");
    BrokerClient broker;
    broker.declareQueue(queue);
    auto consumer = connect("consumer");
    consumer.startConsuming(queue, 1);

    const auto began = std::chrono::steady_clock::now();
    EXPECT_FALSE(consumer.nextDelivery(300ms));
    EXPECT_GE(std::chrono::steady_clock::now() - began, 250ms);
}

TEST(AmqpConnection, WrongVhostFailsWithAnAmqpError) {
    EXPECT_THROW(host::AmqpConnection("amqp://guest:guest@127.0.0.1:5672/" + uniqueName("no-such-vhost"), 30, "test"),
                 host::AmqpError);
}

TEST(AmqpConnection, AQuorumQueueCarriesMessagesAndRefusesAClassicRedeclarationNamingTheSetting) {
    const std::string queue = uniqueName("test.amqp.quorum");
    auto connection = connect("quorum");
    connection.declareQueue(queue, true, host::QueueType::quorum);
    connection.declareQueue(queue, true, host::QueueType::quorum);  // the same again is fine
    connection.enableConfirms();
    const auto tag = connection.publish("", queue, R"({"q":1})", {}, false);
    EXPECT_TRUE(connection.waitForConfirms(tag, 5s).nacked.empty());  // in the queue now
    const auto message = connection.get(queue);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->body, R"({"q":1})");
    connection.ack(message->deliveryTag);

    auto classic = connect("classic");
    try {
        classic.declareQueue(queue, true, host::QueueType::classic);
        FAIL() << "a classic declaration of a quorum queue was accepted";
    } catch (const host::AmqpTopologyError& error) {
        const std::string what = error.what();
        EXPECT_NE(what.find("queue '" + queue + "'"), std::string::npos) << what;
        EXPECT_NE(what.find("broker.queue_type (classic)"), std::string::npos) << what;
    }
}

TEST(AmqpConnection, AClassicQueueRefusesAQuorumRedeclarationNamingTheSetting) {
    const std::string queue = uniqueName("test.amqp.classic");
    connect("classic").declareQueue(queue, true);
    auto connection = connect("quorum");
    try {
        connection.declareQueue(queue, true, host::QueueType::quorum);
        FAIL() << "a quorum declaration of a classic queue was accepted";
    } catch (const host::AmqpTopologyError& error) {
        const std::string what = error.what();
        EXPECT_NE(what.find("queue '" + queue + "'"), std::string::npos) << what;
        EXPECT_NE(what.find("broker.queue_type (quorum)"), std::string::npos) << what;
    }
}

TEST(AmqpConnection, NodesAreTriedInTurnAndTheFirstThatLetsUsInIsUsed) {
    Poco::URI down(amqpUrl());
    down.setPort(freePort());  // nothing listens there
    const Poco::URI up(amqpUrl());
    host::AmqpConnection connection(down.toString() + ", " + up.toString(), 30, "amqp_connection_test nodes");
    EXPECT_EQ(connection.peer(), "127.0.0.1:" + std::to_string(up.getPort()) + up.getPath());

    Poco::URI otherDown = down;
    otherDown.setHost("127.0.0.2");
    try {
        host::AmqpConnection none(down.toString() + "," + otherDown.toString(), 30, "amqp_connection_test no node");
        FAIL() << "connected with every node down";
    } catch (const host::AmqpError& error) {
        const std::string what = error.what();
        EXPECT_NE(what.find("no broker node of 2"), std::string::npos) << what;
        EXPECT_NE(what.find("127.0.0.1:"), std::string::npos) << what;
        EXPECT_NE(what.find("127.0.0.2:"), std::string::npos) << what;
        EXPECT_EQ(what.find("guest"), std::string::npos) << what;
    }
}

}  // namespace
}  // namespace micro_order::testing
