#include "rest/timestamp.hpp"

#include <Poco/DateTime.h>
#include <gtest/gtest.h>

#include <regex>

namespace micro_order::rest {
namespace {

TEST(FormatRfc3339, RendersUtcWithMicrosecondsAndZ) {
    const Poco::DateTime time(2026, 11, 26, 12, 0, 0, 123, 456);
    EXPECT_EQ(formatRfc3339(time.timestamp()), "2026-11-26T12:00:00.123456Z");
}

TEST(FormatRfc3339, KeepsSixDigitsForWholeSeconds) {
    const Poco::DateTime time(2024, 2, 29, 23, 59, 59);
    EXPECT_EQ(formatRfc3339(time.timestamp()), "2024-02-29T23:59:59.000000Z");
}

TEST(NowRfc3339, HasTheRfc3339Shape) {
    EXPECT_TRUE(std::regex_match(nowRfc3339(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
}

}  // namespace
}  // namespace micro_order::rest
