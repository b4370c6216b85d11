#include "log_throttle.hpp"

#include <gtest/gtest.h>

namespace micro_order::host {
namespace {

using namespace std::chrono_literals;

class LogThrottleTest : public ::testing::Test {
protected:
    std::chrono::steady_clock::time_point now_{};
    LogThrottle throttle_{10s, [this] { return now_; }};
    std::uint64_t repeats_ = 99;
};

TEST_F(LogThrottleTest, TheFirstOccurrenceIsLoggedTheRepeatsWithinTheIntervalAreNot) {
    EXPECT_TRUE(throttle_.admit("disk full", repeats_));
    EXPECT_EQ(repeats_, 0u);
    for (int i = 0; i < 1000; ++i) {
        now_ += 5ms;
        EXPECT_FALSE(throttle_.admit("disk full", repeats_));
    }
}

TEST_F(LogThrottleTest, AfterTheIntervalOneLineCarriesTheCount) {
    ASSERT_TRUE(throttle_.admit("disk full", repeats_));
    for (int i = 0; i < 41; ++i) {
        now_ += 100ms;
        throttle_.admit("disk full", repeats_);
    }
    now_ += 10s;
    EXPECT_TRUE(throttle_.admit("disk full", repeats_));
    EXPECT_EQ(repeats_, 41u);
    EXPECT_EQ(throttle_.repeatsNote(repeats_), " (and 41 more times in the last 10 s)");
    EXPECT_EQ(throttle_.repeatsNote(0), "");
}

TEST_F(LogThrottleTest, DifferentKeysAreCountedApart) {
    EXPECT_TRUE(throttle_.admit("database orders: disk full", repeats_));
    EXPECT_TRUE(throttle_.admit("database shippings: disk full", repeats_));
    EXPECT_FALSE(throttle_.admit("database orders: disk full", repeats_));
}

TEST_F(LogThrottleTest, SettlingReportsWhatWasKeptQuietOnceAndTheIntervalGoesOn) {
    throttle_.admit("a", repeats_);
    throttle_.admit("a", repeats_);
    throttle_.admit("a", repeats_);
    throttle_.admit("b", repeats_);
    std::vector<std::pair<std::string, std::uint64_t>> reported;
    throttle_.settle([&](const std::string& key, std::uint64_t repeats) { reported.emplace_back(key, repeats); });
    EXPECT_EQ(reported, (std::vector<std::pair<std::string, std::uint64_t>>{{"a", 2}}));
    reported.clear();
    throttle_.settle([&](const std::string& key, std::uint64_t repeats) { reported.emplace_back(key, repeats); });
    EXPECT_TRUE(reported.empty());
    // A failure that comes back within the interval stays quiet: flapping is not a flood.
    EXPECT_FALSE(throttle_.admit("a", repeats_));
    now_ += 10s;
    EXPECT_TRUE(throttle_.admit("a", repeats_));
    EXPECT_EQ(repeats_, 1u);
}

}  // namespace
}  // namespace micro_order::host
