#include "http/lazy_deadline.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

namespace micro_order::host {
namespace {

using namespace std::chrono_literals;
using Clock = LazyDeadline::Clock;

class LazyDeadlineTest : public ::testing::Test {
protected:
    boost::asio::io_context context_;
    std::shared_ptr<int> owner_ = std::make_shared<int>(0);
    int expired_ = 0;
    Clock::time_point expiredAt_;
    LazyDeadline deadline_{context_.get_executor(), [this] {
                               ++expired_;
                               expiredAt_ = Clock::now();
                           }};
};

TEST_F(LazyDeadlineTest, ExpiresOnceAtTheDeadline) {
    const auto began = Clock::now();
    deadline_.set(began + 30ms, owner_);
    context_.run_for(200ms);
    EXPECT_EQ(expired_, 1);
    EXPECT_GE(expiredAt_ - began, 30ms);
}

TEST_F(LazyDeadlineTest, ALaterDeadlineMovesTheExpiryWithoutFiringEarly) {
    const auto began = Clock::now();
    deadline_.set(began + 20ms, owner_);
    deadline_.set(began + 80ms, owner_);
    context_.run_for(50ms);
    EXPECT_EQ(expired_, 0);
    context_.run_for(150ms);
    EXPECT_EQ(expired_, 1);
    EXPECT_GE(expiredAt_ - began, 80ms);
}

TEST_F(LazyDeadlineTest, AnEarlierDeadlineRearms) {
    const auto began = Clock::now();
    deadline_.set(began + 10s, owner_);
    deadline_.set(began + 20ms, owner_);
    context_.run_for(200ms);
    EXPECT_EQ(expired_, 1);
    EXPECT_LT(expiredAt_ - began, 1s);
}

TEST_F(LazyDeadlineTest, ClearAndCancelStopTheExpiry) {
    deadline_.set(Clock::now() + 20ms, owner_);
    deadline_.clear();
    context_.run_for(100ms);
    EXPECT_EQ(expired_, 0);

    context_.restart();
    deadline_.set(Clock::now() + 20ms, owner_);
    deadline_.cancel();
    deadline_.set(Clock::now() + 20ms, owner_);
    context_.run_for(100ms);
    EXPECT_EQ(expired_, 0);
    EXPECT_EQ(owner_.use_count(), 1) << "no wait holds the owner any more";
}

TEST_F(LazyDeadlineTest, TheOwnerLivesWhileTheTimerWaits) {
    deadline_.set(Clock::now() + 20ms, owner_);
    EXPECT_GT(owner_.use_count(), 1);
    context_.run_for(100ms);
    EXPECT_EQ(owner_.use_count(), 1);
}

}  // namespace
}  // namespace micro_order::host
