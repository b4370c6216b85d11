// Log hygiene (issue 14, point 6): ids a publisher chose cannot split or forge log lines of the
// real host, with the console formatter and with the journal's.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

#include "host/echo_consumer_yaml.hpp"
#include "support/broker_client.hpp"
#include "support/host_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

// What a hostile publisher puts in the AMQP properties: a newline, then a forged entry.
const std::string kMessageId = "evil-1\n<0>[host] forged by the message id";
const std::string kCorrelationId = "c-1\r\n2026-01-01 00:00:00.000 Fatal [host] forged by the correlation id";

class LogHygiene : public ::testing::Test {
protected:
    /// Starts an echo consumer at log level debug (it logs every message it handles); with
    /// `journal`, its stderr counts as the journal's (JOURNAL_STREAM names the log file).
    void startHost(bool journal) {
        queue_ = uniqueName("log.queue");
        const std::string log = folder_.file("host.log");
        writeFile(log, "");
        if (journal) {
            struct stat status {};
            ASSERT_EQ(::stat(log.c_str(), &status), 0);
            ::setenv("JOURNAL_STREAM", (std::to_string(status.st_dev) + ":" + std::to_string(status.st_ino)).c_str(),
                     1);
        }
        host_ = std::make_unique<HostProcess>(
            echoConsumerYaml(freePort(), queue_, uniqueName("log.exchange"), 5, "debug"), folder_.path());
        ::unsetenv("JOURNAL_STREAM");
        host_->waitUntilReady();
        ASSERT_TRUE(host_->waitForLog("consuming " + queue_)) << host_->log();
        BrokerClient broker;
        host::AmqpMessageProperties properties;
        properties.messageId = kMessageId;
        properties.correlationId = kCorrelationId;
        broker.publishToQueue(queue_, "a body", properties);
        // Ids outside printable ASCII are refused (dead-lettered at once), and the refusal names
        // the id: that line is where the id reaches the log.
        ASSERT_TRUE(host_->waitForLog("dead-lettered queue=" + queue_)) << host_->log();
    }

    /// The log's lines that `predicate` picks.
    template <typename Predicate>
    std::vector<std::string> lines(Predicate predicate) const {
        std::vector<std::string> picked;
        std::istringstream in(host_->log());
        for (std::string line; std::getline(in, line);) {
            if (predicate(line)) {
                picked.push_back(line);
            }
        }
        return picked;
    }

    TempDir folder_;
    std::string queue_;
    std::unique_ptr<HostProcess> host_;
};

TEST_F(LogHygiene, AMessageIdWithANewlineIsLoggedOnOneLine) {
    startHost(false);

    const auto refused =
        lines([&](const std::string& line) { return line.find("dead-lettered queue=" + queue_) != std::string::npos; });
    ASSERT_EQ(refused.size(), 1u) << host_->log();
    EXPECT_NE(refused[0].find("evil-1"), std::string::npos) << refused[0];
    EXPECT_NE(refused[0].find("[host] forged by the message id"), std::string::npos) << refused[0];
    EXPECT_TRUE(lines([](const std::string& line) {
                    return line.starts_with("2026-01-01") || line.starts_with("<0>") || line.starts_with("[host]");
                }).empty())
        << host_->log();
}

TEST_F(LogHygiene, UnderTheJournalNoEntryCanBeForged) {
    startHost(true);

    const auto refused =
        lines([&](const std::string& line) { return line.find("dead-lettered queue=" + queue_) != std::string::npos; });
    ASSERT_EQ(refused.size(), 1u) << host_->log();
    EXPECT_TRUE(refused[0].starts_with("<3>[echo] dead-lettered queue=")) << refused[0];
    EXPECT_NE(refused[0].find("[host] forged by the message id"), std::string::npos) << refused[0];
    // Every line is an entry the host wrote: a level it chose, then a source in brackets.
    EXPECT_TRUE(lines([](const std::string& line) {
                    return line.size() < 4 || line[0] != '<' || line[2] != '>' || line[3] != '[' || line[1] == '0';
                }).empty())
        << host_->log();
}

}  // namespace
}  // namespace micro_order::testing
