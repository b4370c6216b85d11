#include "systemd_log_formatter.hpp"

#include <Poco/Message.h>
#include <gtest/gtest.h>

namespace micro_order::host {
namespace {

std::string formatted(Poco::Message::Priority priority) {
    SystemdLogFormatter formatter;
    std::string text;
    formatter.format(Poco::Message("orders_create", "dead-lettered queue=orders.create", priority), text);
    return text;
}

TEST(SystemdLogFormatter, PrefixesEachLineWithTheSdDaemonLevelAndSource) {
    EXPECT_EQ(formatted(Poco::Message::PRIO_ERROR), "<3>[orders_create] dead-lettered queue=orders.create");
    EXPECT_EQ(formatted(Poco::Message::PRIO_WARNING).substr(0, 3), "<4>");
    EXPECT_EQ(formatted(Poco::Message::PRIO_INFORMATION).substr(0, 3), "<6>");
    EXPECT_EQ(formatted(Poco::Message::PRIO_DEBUG).substr(0, 3), "<7>");
    EXPECT_EQ(formatted(Poco::Message::PRIO_FATAL).substr(0, 3), "<2>");
}

}  // namespace
}  // namespace micro_order::host
