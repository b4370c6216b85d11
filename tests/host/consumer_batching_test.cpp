// Consumers handle the deliveries already prefetched in one transaction and ack them with one
// `multiple` ack; a batch that throws is handled again one message per transaction.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "broker_topology.hpp"
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

constexpr int kPrefetch = 50;

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t count = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) {
        ++count;
    }
    return count;
}

/// test_echo consuming its own queue at prefetch 50, on fresh broker names. The queue is
/// declared before the host starts, so a test can fill it first: the consumer then receives
/// full prefetch windows at once, i.e. batches.
class ConsumerBatching : public ::testing::Test {
protected:
    void SetUp() override {
        queue_ = uniqueName("test.batching.queue");
        exchange_ = uniqueName("test.batching.exchange");
        port_ = freePort();
        broker_ = std::make_unique<BrokerClient>();
        broker_->declareExchange(exchange_);
        broker_->declareQueue(queue_, exchange_, "echo");
    }

    void TearDown() override {
        if (!host_) {
            return;
        }
        EXPECT_EQ(host_->log().find("[ERRFMT]"), std::string::npos) << "a log line has a bad format";
        if (HasFailure() || std::getenv("MICRO_ORDER_TEST_SHOW_LOG")) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end of host log ---\n";
        }
    }

    void startHost() {
        host_ = std::make_unique<HostProcess>(echoConsumerYaml(port_, queue_, exchange_, kPrefetch, "debug"));
        host_->waitUntilReady();
        ASSERT_TRUE(host_->waitForLog("consuming " + queue_)) << host_->log();
    }

    /// Publishes every body without waiting for each confirm, then waits for them all.
    void publishQuickly(const std::vector<std::string>& bodies, const std::vector<std::string>& messageIds) {
        host::AmqpConnection& connection = broker_->connection();
        std::uint64_t last = 0;
        for (std::size_t i = 0; i < bodies.size(); ++i) {
            host::AmqpMessageProperties properties;
            properties.messageId = messageIds[i];
            last = connection.publish(exchange_, "echo", bodies[i], properties, false);
        }
        const host::ConfirmResult confirms = connection.waitForConfirms(last, 20s);
        ASSERT_TRUE(confirms.nacked.empty()) << "the broker refused messages";
    }

    void publishQuickly(const std::vector<std::string>& bodies) {
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < bodies.size(); ++i) {
            ids.push_back(uniqueName("batched"));
        }
        publishQuickly(bodies, ids);
    }

    std::vector<std::string> rows() { return echoRows(port_, "amqp"); }

    /// Polls until the consumer stored at least `count` rows (or the timeout), then waits a
    /// little for any extra (duplicate) row and returns them all.
    std::vector<std::string> waitForConsumedRows(std::size_t count, std::chrono::milliseconds timeout = 20s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::vector<std::string> bodies = rows();
        while (bodies.size() < count && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(50ms);
            bodies = rows();
        }
        std::this_thread::sleep_for(300ms);
        return rows();
    }

    /// Stops the host gracefully: whatever it received and did not ack goes back to the queue.
    void stopHost() {
        host_->terminate();
        ASSERT_EQ(host_->wait(), 0) << host_->log();
    }

    static std::vector<std::string> numbered(const std::string& prefix, int from, int to) {
        std::vector<std::string> bodies;
        for (int i = from; i < to; ++i) {
            bodies.push_back(prefix + std::to_string(i));
        }
        return bodies;
    }

    std::string queue_;
    std::string exchange_;
    unsigned short port_ = 0;
    std::unique_ptr<BrokerClient> broker_;
    std::unique_ptr<HostProcess> host_;
};

TEST_F(ConsumerBatching, BacklogIsStoredExactlyOnceInOrderInBatchesAndAllAcked) {
    const std::vector<std::string> bodies = numbered("backlog ", 0, 500);
    publishQuickly(bodies);
    ASSERT_EQ(broker_->messageCount(queue_), 500u);

    startHost();

    EXPECT_EQ(waitForConsumedRows(bodies.size()), bodies);
    EXPECT_TRUE(host_->waitForLog("committed a batch of", 1s)) << "no delivery was batched";
    EXPECT_EQ(host_->log().find("rolled back"), std::string::npos);
    stopHost();
    EXPECT_EQ(broker_->messageCount(queue_), 0u) << "a delivery was not acked";
}

TEST_F(ConsumerBatching, MessagesPublishedQuicklyWhileConsumingAreStoredExactlyOnce) {
    startHost();
    const std::vector<std::string> bodies = numbered("live ", 0, 500);

    publishQuickly(bodies);

    EXPECT_EQ(waitForConsumedRows(bodies.size()), bodies);
    stopHost();
    EXPECT_EQ(broker_->messageCount(queue_), 0u) << "a delivery was not acked";
}

TEST_F(ConsumerBatching, PoisonInTheMiddleOfABatchIsDeadLetteredAndTheOthersStoredOnce) {
    std::vector<std::string> bodies = numbered("before ", 0, 20);
    bodies.push_back("poison");
    for (const std::string& body : numbered("after ", 0, 20)) {
        bodies.push_back(body);
    }
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        ids.push_back(uniqueName("batched"));
    }
    const std::string poisonId = ids[20];
    publishQuickly(bodies, ids);

    startHost();

    std::vector<std::string> healthy = bodies;
    healthy.erase(healthy.begin() + 20);
    EXPECT_EQ(waitForConsumedRows(healthy.size()), healthy);
    const std::optional<host::AmqpDelivery> letter = broker_->getMatching(
        host::kDeadLetterQueue, [&](const host::AmqpDelivery& d) { return d.properties.messageId == poisonId; }, 10s);
    ASSERT_TRUE(letter) << "no dead letter arrived";
    EXPECT_EQ(letter->body, "poison");
    EXPECT_EQ(letter->properties.headers.at("x-death-reason"), "the body is poison");
    EXPECT_EQ(letter->properties.headers.at("x-source-queue"), queue_);
    EXPECT_TRUE(host_->waitForLog("rolled back, handling it one message at a time", 1s))
        << "the batch did not fall back";
    EXPECT_EQ(occurrences(host_->log(), "dead-lettered queue=" + queue_ + " message=" + poisonId), 1u);
    stopHost();
    EXPECT_EQ(broker_->messageCount(queue_), 0u) << "a delivery was not acked";
}

TEST_F(ConsumerBatching, FailingMessageInABatchIsRetriedAloneThenDeadLettered) {
    std::vector<std::string> bodies = numbered("before ", 0, 10);
    bodies.push_back("fail");
    for (const std::string& body : numbered("after ", 0, 10)) {
        bodies.push_back(body);
    }
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        ids.push_back(uniqueName("batched"));
    }
    const std::string failingId = ids[10];
    publishQuickly(bodies, ids);

    startHost();

    std::vector<std::string> healthy = bodies;
    healthy.erase(healthy.begin() + 10);
    EXPECT_EQ(waitForConsumedRows(healthy.size()), healthy);
    const std::optional<host::AmqpDelivery> letter = broker_->getMatching(
        host::kDeadLetterQueue, [&](const host::AmqpDelivery& d) { return d.properties.messageId == failingId; }, 10s);
    ASSERT_TRUE(letter) << "no dead letter arrived";
    const std::string reason = letter->properties.headers.count("x-death-reason")
                                   ? letter->properties.headers.at("x-death-reason")
                                   : std::string();
    EXPECT_NE(reason.find("handler failed 5 times"), std::string::npos) << reason;
    EXPECT_EQ(occurrences(host_->log(), "dead-lettered queue=" + queue_ + " message=" + failingId), 1u);
    stopHost();
    EXPECT_EQ(broker_->messageCount(queue_), 0u) << "a delivery was not acked";
}

TEST_F(ConsumerBatching, SameMessageIdTwiceInOneBatchHasOneEffect) {
    const std::string twice = uniqueName("twice");
    const std::vector<std::string> bodies{"first", "once only", "once only", "last"};
    publishQuickly(bodies, {uniqueName("batched"), twice, twice, uniqueName("batched")});

    startHost();

    EXPECT_EQ(waitForConsumedRows(3), (std::vector<std::string>{"first", "once only", "last"}));
    // How the four split into batches depends on how the broker's frames arrive (a loaded
    // machine may hand them over one by one); the effect must be the same either way.
    EXPECT_EQ(occurrences(host_->log(), "skipped duplicate queue=" + queue_ + " message=" + twice), 1u);
    stopHost();
    EXPECT_EQ(broker_->messageCount(queue_), 0u) << "a delivery was not acked";
}

}  // namespace
}  // namespace micro_order::testing
