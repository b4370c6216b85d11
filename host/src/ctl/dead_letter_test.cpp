#include "ctl/dead_letter.hpp"

#include <gtest/gtest.h>

#include "ctl/ctl_command.hpp"

namespace micro_order::host::ctl {
namespace {

AmqpDelivery letter(const std::string& id, const std::string& queue, const std::string& reason) {
    AmqpDelivery delivery;
    delivery.body = R"({"id": 1})";
    delivery.properties.messageId = id;
    delivery.properties.correlationId = "corr-1";
    delivery.properties.headers = {{"x-death-reason", reason},
                                   {"x-source-queue", queue},
                                   {"x-source-exchange", "shippings"},
                                   {"x-source-routing-key", queue},
                                   {"x-dead-lettered-at", "2026-12-01T10:00:00.250000Z"},
                                   {"order_id", "42"}};
    return delivery;
}

TEST(DeadLetter, ReadsReasonSourceAndTime) {
    const DeadLetter read = readDeadLetter(letter("m-1", "shippings.update", "no order with id 42"));
    EXPECT_EQ(read.messageId, "m-1");
    EXPECT_EQ(read.reason, "no order with id 42");
    EXPECT_EQ(read.sourceQueue, "shippings.update");
    EXPECT_EQ(read.sourceExchange, "shippings");
    EXPECT_TRUE(read.replayable);
    ASSERT_TRUE(read.deadLetteredAt.has_value());
    EXPECT_EQ(read.deadLetteredAt->epochMicroseconds(), 1796119200250000);
}

TEST(DeadLetter, ALetterFromBeforeTheTimeHeaderHasNoAgeAndOneWithoutSourceCannotBeReplayed) {
    AmqpDelivery old = letter("m-2", "orders.create", "x");
    old.properties.headers.erase("x-dead-lettered-at");
    EXPECT_EQ(formatAge(readDeadLetter(old).deadLetteredAt, Poco::Timestamp()), "?");
    old.properties.headers.erase("x-source-routing-key");
    EXPECT_FALSE(readDeadLetter(old).replayable);
    // The default exchange ("") is a place to replay to.
    AmqpDelivery direct = letter("m-3", "q", "x");
    direct.properties.headers["x-source-exchange"] = "";
    EXPECT_TRUE(readDeadLetter(direct).replayable);
}

TEST(DeadLetter, AgeIsShortAndReadable) {
    const Poco::Timestamp now;
    const auto ago = [&](long long seconds) { return Poco::Timestamp(now.epochMicroseconds() - seconds * 1000000); };
    EXPECT_EQ(formatAge(ago(12), now), "12s");
    EXPECT_EQ(formatAge(ago(245), now), "4m05s");
    EXPECT_EQ(formatAge(ago(3 * 3600 + 120), now), "3h02m");
    EXPECT_EQ(formatAge(ago(2 * 86400 + 4 * 3600), now), "2d04h");
    EXPECT_EQ(formatAge(ago(-5), now), "0s");  // a clock a little ahead
}

TEST(DeadLetterFilter, EveryCriterionGivenMustMatch) {
    const DeadLetter read = readDeadLetter(letter("m-1", "shippings.update", "no order with id 42"));
    DeadLetterFilter filter;
    EXPECT_FALSE(filter.matches(read)) << "an empty filter selects nothing";
    filter.all = true;
    EXPECT_TRUE(filter.matches(read));
    filter = {};
    filter.sourceQueue = "shippings.update";
    filter.reasonPart = "no order";
    EXPECT_TRUE(filter.matches(read));
    filter.reasonPart = "no shipping";
    EXPECT_FALSE(filter.matches(read));
    filter = {};
    filter.messageId = "m-1";
    EXPECT_TRUE(filter.matches(read));
    filter.messageId = "m-11";
    EXPECT_FALSE(filter.matches(read));
}

TEST(ReplayProperties, NewIdOldOneKeptCorrelationAndOrderKeptDeathHeadersDropped) {
    const AmqpMessageProperties replay = replayProperties(letter("m-1", "shippings.update", "x"), "new-id");
    EXPECT_EQ(replay.messageId, "new-id");
    EXPECT_EQ(replay.correlationId, "corr-1");
    EXPECT_EQ(replay.headers, (std::map<std::string, std::string>{{"order_id", "42"}, {"x-replayed-from", "m-1"}}));
}

TEST(CtlCommand, ReadsTheCommandTheConfigAndTheSelection) {
    const CtlCommand list = parseCtlCommand({"dead-letters", "list"});
    EXPECT_EQ(list.action, CtlCommand::Action::kList);
    EXPECT_EQ(list.configFile, "/etc/micro-order/micro-order.yaml");
    const CtlCommand replay = parseCtlCommand(
        {"--config", "/tmp/a.yaml", "dead-letters", "replay", "--queue", "orders.create", "--reason", "no order"});
    EXPECT_EQ(replay.action, CtlCommand::Action::kReplay);
    EXPECT_EQ(replay.configFile, "/tmp/a.yaml");
    EXPECT_EQ(replay.filter.sourceQueue, "orders.create");
    EXPECT_EQ(replay.filter.reasonPart, "no order");
    EXPECT_TRUE(parseCtlCommand({"dead-letters", "purge", "--all"}).filter.all);
    EXPECT_EQ(parseCtlCommand({"--help"}).action, CtlCommand::Action::kHelp);
}

TEST(CtlCommand, ReplayAndPurgeNeedASelectionAndMistakesAreUsageErrors) {
    EXPECT_THROW(parseCtlCommand({"dead-letters", "purge"}), UsageError);
    EXPECT_THROW(parseCtlCommand({"dead-letters", "replay"}), UsageError);
    EXPECT_THROW(parseCtlCommand({"dead-letters", "purge", "--all", "--queue", "q"}), UsageError);
    EXPECT_THROW(parseCtlCommand({"dead-letters", "browse"}), UsageError);
    EXPECT_THROW(parseCtlCommand({"dead-letters"}), UsageError);
    EXPECT_THROW(parseCtlCommand({"letters", "list"}), UsageError);
    EXPECT_THROW(parseCtlCommand({"dead-letters", "list", "--queue"}), UsageError);
    EXPECT_THROW(parseCtlCommand({"dead-letters", "list", "--frobnicate"}), UsageError);
    EXPECT_THROW(parseCtlCommand({}), UsageError);
}

}  // namespace
}  // namespace micro_order::host::ctl
