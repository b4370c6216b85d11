// micro-order-ctl dead-letters against the real broker and a real host, in a vhost of its own
// (purge --all must not take other tests' letters): list shows reason, source queue and age and
// leaves the queue as it was; a letter dead-lettered for a missing row succeeds once the row
// exists and it is replayed (with a new message id, which the inbox has not seen); purge.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <mutex>
#include <regex>
#include <thread>

#include "broker_topology.hpp"
#include "support/broker_client.hpp"
#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_vhost.hpp"
#include "support/test_yaml.hpp"

using namespace Poco::Data::Keywords;

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

RunResult runCtl(const std::vector<std::string>& args) {
    TempDir folder("micro-order-ctl-test");
    const pid_t pid = spawnProcess(ctlBinary(), args, folder.file("out"), folder.file("err"));
    const auto status = waitForExit(pid, 30s);
    if (!status) {
        ::kill(pid, SIGKILL);
        throw std::runtime_error("micro-order-ctl did not finish");
    }
    return {*status, readFile(folder.file("out")), readFile(folder.file("err"))};
}

class DeadLettersCtl : public ::testing::Test {
protected:
    void SetUp() override {
        vhost_ = std::make_unique<TestVhost>("micro-order-ctl-test");
        url_ = vhost_->url();
        port_ = freePort();
        std::string yaml = yamlHeader();
        yaml.replace(yaml.find(amqpUrl()), amqpUrl().size(), url_);
        yaml += "databases:\n" + yamlDatabase("orders") +
                "plugins:\n"
                "  - name: orders\n    library: orders\n    database: orders\n    listen: 127.0.0.1:" +
                std::to_string(port_) +
                "\n  - name: shippings_update\n    library: consumers\n    database: orders\n"
                "    config:\n      handler: shippings_update\n";
        host_ = std::make_unique<HostProcess>(yaml);
        host_->waitUntilReady();
        ASSERT_TRUE(host_->waitForLog("consuming shippings.update")) << host_->log();
    }

    void TearDown() override {
        if (HasFailure() && host_) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end ---\n";
        }
        host_.reset();
        vhost_.reset();
    }

    RunResult ctl(std::vector<std::string> args) {
        args.insert(args.begin(), {"--config", host_->configFile()});
        return runCtl(args);
    }

    std::uint32_t deadLetters() { return BrokerClient(url_).messageCount(host::kDeadLetterQueue); }

    bool waitForDeadLetters(std::uint32_t count) {
        for (int i = 0; i < 200 && deadLetters() != count; ++i) {
            std::this_thread::sleep_for(50ms);
        }
        return deadLetters() == count;
    }

    void insertOrder(int id) {
        static std::once_flag once;
        std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
        Poco::Data::Session session("SQLite", host_->folder() + "/orders.sqlite3");
        session << "PRAGMA busy_timeout = 5000", now;
        session << "INSERT INTO orders_order (id, status, customer, made_at) VALUES (" + std::to_string(id) +
                       ", 0, 1, '2026-12-01T00:00:00.000000Z')",
            now;
    }

    std::unique_ptr<TestVhost> vhost_;
    std::string url_;
    unsigned short port_ = 0;
    std::unique_ptr<HostProcess> host_;
};

TEST_F(DeadLettersCtl, ListShowsReasonQueueAndAgeLeavesTheQueueAndAReplayAfterTheFixSucceeds) {
    BrokerClient broker(url_);
    host::AmqpMessageProperties missingRow;
    missingRow.messageId = "missing-row-1";
    broker.publish("shippings", "shippings.update", R"({"id": 1, "order": 4242, "status": 1})", missingRow);
    host::AmqpMessageProperties badStatus;
    badStatus.messageId = "bad-status-1";
    broker.publish("shippings", "shippings.update", R"({"id": 1, "order": 4242, "status": 7})", badStatus);
    ASSERT_TRUE(waitForDeadLetters(2)) << host_->log();

    const RunResult listed = ctl({"dead-letters", "list"});
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    EXPECT_TRUE(
        std::regex_search(listed.out, std::regex(R"(missing-row-1 +shippings\.update +\d+s  no order with id 4242)")))
        << listed.out;
    EXPECT_TRUE(std::regex_search(listed.out, std::regex(R"(bad-status-1 +shippings\.update +\d+s  field "status")")))
        << listed.out;
    EXPECT_NE(listed.out.find("2 dead letters shown, 2 in micro-order.dead-letter"), std::string::npos) << listed.out;
    // Listing took nothing: the same letters, in the same order, are there for the next look.
    EXPECT_EQ(deadLetters(), 2u);
    const RunResult again = ctl({"dead-letters", "list", "--reason", "no order"});
    EXPECT_NE(again.out.find("missing-row-1"), std::string::npos) << again.out;
    EXPECT_EQ(again.out.find("bad-status-1"), std::string::npos) << again.out;
    EXPECT_LT(listed.out.find("missing-row-1"), listed.out.find("bad-status-1"));
    // /metrics shows the depth (the relay reads it every 2 s while idle).
    std::string metrics;
    for (int i = 0; i < 100; ++i) {
        metrics = httpRequest(port_, "GET", "/metrics").body;
        if (metrics.find("micro_order_dead_letter_messages 2\n") != std::string::npos) {
            break;
        }
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_NE(metrics.find("micro_order_dead_letter_messages 2\n"), std::string::npos) << metrics;

    // The fix: the row the letter needed now exists. The replay runs it again.
    insertOrder(4242);
    const RunResult replayed = ctl({"dead-letters", "replay", "--message-id", "missing-row-1"});
    ASSERT_EQ(replayed.exitCode, 0) << replayed.out << replayed.err;
    EXPECT_NE(replayed.out.find("replayed missing-row-1 to 'shippings'/'shippings.update' as "), std::string::npos)
        << replayed.out;
    EXPECT_NE(replayed.out.find("1 replayed, 1 left"), std::string::npos) << replayed.out;
    std::string status;
    for (int i = 0; i < 100 && status != "SHIPPED"; ++i) {
        std::this_thread::sleep_for(50ms);
        status = json(httpRequest(port_, "GET", "/orders/4242/").body)->getValue<std::string>("status");
    }
    EXPECT_EQ(status, "SHIPPED");
    EXPECT_EQ(host_->log().find("skipped duplicate"), std::string::npos) << "the inbox skipped the replay";
    EXPECT_EQ(deadLetters(), 1u);

    const RunResult purged = ctl({"dead-letters", "purge", "--queue", "shippings.update"});
    EXPECT_EQ(purged.exitCode, 0) << purged.err;
    EXPECT_NE(purged.out.find("1 purged, 0 left"), std::string::npos) << purged.out;
    EXPECT_EQ(deadLetters(), 0u);
}

TEST_F(DeadLettersCtl, ReplayOfALetterWhoseRowIsStillMissingDeadLettersItAgainUnderItsNewId) {
    BrokerClient broker(url_);
    host::AmqpMessageProperties properties;
    properties.messageId = "still-missing-1";
    broker.publish("shippings", "shippings.update", R"({"id": 1, "order": 777, "status": 2})", properties);
    ASSERT_TRUE(waitForDeadLetters(1));

    const RunResult replayed = ctl({"dead-letters", "replay", "--all"});
    ASSERT_EQ(replayed.exitCode, 0) << replayed.err;
    ASSERT_TRUE(waitForDeadLetters(1));
    // Ran again (not skipped as a duplicate) and failed again, now under its new id.
    ASSERT_TRUE(host_->waitForLog("no order with id 777", 5s));
    const auto letter = BrokerClient(url_).get(host::kDeadLetterQueue);
    ASSERT_TRUE(letter.has_value());
    EXPECT_NE(letter->properties.messageId, "still-missing-1");
    EXPECT_EQ(letter->properties.headers.at("x-replayed-from"), "still-missing-1");
    EXPECT_EQ(host_->log().find("skipped duplicate"), std::string::npos);
}

TEST_F(DeadLettersCtl, PurgeAllEmptiesTheQueueAndCommandsWithoutASelectionAreRefused) {
    BrokerClient broker(url_);
    for (int i = 0; i < 3; ++i) {
        broker.publish("shippings", "shippings.update", "not json " + std::to_string(i));
    }
    ASSERT_TRUE(waitForDeadLetters(3));

    const RunResult refused = ctl({"dead-letters", "purge"});
    EXPECT_EQ(refused.exitCode, 64);
    EXPECT_NE(refused.err.find("needs --all, --queue, --reason or --message-id"), std::string::npos) << refused.err;
    EXPECT_EQ(deadLetters(), 3u);

    const RunResult purged = ctl({"dead-letters", "purge", "--all"});
    EXPECT_EQ(purged.exitCode, 0) << purged.err;
    EXPECT_NE(purged.out.find("3 purged, 0 left"), std::string::npos) << purged.out;

    TempDir folder;
    writeFile(folder.file("broken.yaml"), "plugins: 12\n");
    const RunResult broken = runCtl({"--config", folder.file("broken.yaml"), "dead-letters", "list"});
    EXPECT_EQ(broken.exitCode, 78);
    EXPECT_NE(broken.err.find("broken.yaml:1:"), std::string::npos) << broken.err;
}

}  // namespace
}  // namespace micro_order::testing
