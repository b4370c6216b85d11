// Messaging through the real host: outbox → broker → consumer → database, dead letters, inbox.
#include <Poco/Logger.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "broker_topology.hpp"
#include "database/host_database.hpp"
#include "echo_consumer_yaml.hpp"
#include "support/broker_client.hpp"
#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

/// One host running test_echo as a consumer of its own queue, on fresh broker names.
class HostMessaging : public ::testing::Test {
protected:
    void SetUp() override {
        queue_ = uniqueName("test.echo.queue");
        exchange_ = uniqueName("test.echo.exchange");
        port_ = freePort();
        host_ = std::make_unique<HostProcess>(echoConsumerYaml(port_, queue_, exchange_, 5));
        host_->waitUntilReady();
        ASSERT_TRUE(host_->waitForLog("consuming " + queue_)) << host_->log();
    }

    void TearDown() override {
        EXPECT_EQ(host_->log().find("[ERRFMT]"), std::string::npos) << "a log line has a bad format";
        if (HasFailure() || std::getenv("MICRO_ORDER_TEST_SHOW_LOG")) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end of host log ---\n";
        }
    }

    std::vector<std::string> rows(const std::string& source) { return echoRows(port_, source); }

    /// Polls until the consumer stored `count` rows (or the timeout), then returns them.
    std::vector<std::string> waitForConsumedRows(std::size_t count, std::chrono::milliseconds timeout = 10s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::vector<std::string> bodies = rows("amqp");
        while (bodies.size() < count && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(50ms);
            bodies = rows("amqp");
        }
        return bodies;
    }

    std::string queue_;
    std::string exchange_;
    unsigned short port_ = 0;
    std::unique_ptr<HostProcess> host_;
};

TEST_F(HostMessaging, RowsPublishedThroughTheOutboxAreConsumedAndStored) {
    HttpClient client(port_);
    for (int i = 0; i < 20; ++i) {
        ASSERT_EQ(client.post("/rows/", "row " + std::to_string(i)).status, 201);
    }

    const std::vector<std::string> consumed = waitForConsumedRows(20);

    ASSERT_EQ(consumed.size(), 20u);
    EXPECT_EQ(consumed.front(), "row 0");
    EXPECT_EQ(consumed.back(), "row 19");
}

TEST_F(HostMessaging, ConfirmedRowsHaveLeftTheOutboxOnceTheHostHasStopped) {
    // A stopping host publishes what its outbox holds and deletes what the broker confirmed;
    // rows left behind would go out again at the next start.
    HttpClient client(port_);
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(client.post("/rows/", "row " + std::to_string(i)).status, 201);
    }
    host_->terminate();
    ASSERT_EQ(host_->wait(), 0);
    host::DatabaseSettings settings;
    settings.name = "echo";
    settings.path = host_->folder() + "/echo.sqlite3";
    host::HostDatabase database(settings, Poco::Logger::get("test"));
    std::int64_t left = -1;
    database.read([&](Connection& connection) {
        Statement& select = connection.statement("SELECT COUNT(*) FROM micro_order_outbox");
        ASSERT_TRUE(select.step());
        left = select.int64(0);
    });
    EXPECT_EQ(left, 0);
    EXPECT_NE(host_->log().find("stopped"), std::string::npos);
}

TEST_F(HostMessaging, RawMessageFromAnotherPublisherIsConsumed) {
    BrokerClient broker;

    broker.publish(exchange_, "echo", "from outside");

    EXPECT_EQ(waitForConsumedRows(1), std::vector<std::string>{"from outside"});
}

TEST_F(HostMessaging, PoisonMessageIsDeadLetteredWithItsReasonAndConsumingGoesOn) {
    BrokerClient broker;
    host::AmqpMessageProperties poison;
    poison.messageId = uniqueName("poison");

    broker.publish(exchange_, "echo", "poison", poison);
    broker.publish(exchange_, "echo", "healthy");

    EXPECT_EQ(waitForConsumedRows(1), std::vector<std::string>{"healthy"});
    // The dead-letter queue is shared by the whole run: take ours, leave the others.
    const std::optional<host::AmqpDelivery> letter = broker.getMatching(
        host::kDeadLetterQueue, [&](const host::AmqpDelivery& d) { return d.properties.messageId == poison.messageId; },
        10s);
    ASSERT_TRUE(letter) << "no dead letter arrived";
    EXPECT_EQ(letter->properties.messageId, poison.messageId);
    EXPECT_EQ(letter->body, "poison");
    EXPECT_EQ(letter->properties.headers.at("x-death-reason"), "the body is poison");
    EXPECT_EQ(letter->properties.headers.at("x-source-queue"), queue_);
    EXPECT_EQ(broker.messageCount(queue_), 0u);
}

TEST_F(HostMessaging, HandlerThatKeepsFailingIsDeadLetteredAfterRetries) {
    BrokerClient broker;
    host::AmqpMessageProperties failing;
    failing.messageId = uniqueName("fail");

    broker.publish(exchange_, "echo", "fail", failing);
    broker.publish(exchange_, "echo", "next");

    EXPECT_EQ(waitForConsumedRows(1), std::vector<std::string>{"next"});
    const std::optional<host::AmqpDelivery> letter = broker.getMatching(
        host::kDeadLetterQueue,
        [&](const host::AmqpDelivery& d) { return d.properties.messageId == failing.messageId; }, 10s);
    ASSERT_TRUE(letter) << "no dead letter arrived";
    const std::string reason = letter->properties.headers.count("x-death-reason")
                                   ? letter->properties.headers.at("x-death-reason")
                                   : std::string();
    EXPECT_NE(reason.find("handler failed 5 times"), std::string::npos) << reason;
    EXPECT_NE(reason.find("always fails"), std::string::npos) << reason;
}

TEST_F(HostMessaging, SameMessageIdDeliveredTwiceHasOneEffect) {
    BrokerClient broker;
    host::AmqpMessageProperties properties;
    properties.messageId = uniqueName("twice");

    broker.publish(exchange_, "echo", "once only", properties);
    broker.publish(exchange_, "echo", "once only", properties);
    broker.publish(exchange_, "echo", "sentinel");  // handled after both copies: one queue, one thread

    const std::vector<std::string> consumed = waitForConsumedRows(2);
    EXPECT_EQ(consumed, (std::vector<std::string>{"once only", "sentinel"}));
    EXPECT_TRUE(host_->waitForLog("skipped duplicate queue=" + queue_ + " message=" + properties.messageId, 2s));
}

TEST_F(HostMessaging, MessagesPublishedWhileTheHostIsDownAreConsumedAfterRestart) {
    host_->terminate();
    ASSERT_EQ(host_->wait(), 0) << host_->log();
    BrokerClient broker;
    broker.publish(exchange_, "echo", "while down");
    EXPECT_EQ(broker.messageCount(queue_), 1u);

    HostProcess restarted(readFile(host_->configFile()), host_->folder());
    restarted.waitUntilReady();

    EXPECT_EQ(waitForConsumedRows(1), std::vector<std::string>{"while down"}) << restarted.log();
}

}  // namespace
}  // namespace micro_order::testing
