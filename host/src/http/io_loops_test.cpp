#include "http/io_loops.hpp"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <latch>
#include <thread>

namespace micro_order::host {
namespace {

using namespace std::chrono_literals;

/// heartbeat() until it answers `wanted`, for at most 5 s.
bool heartbeatBecomes(IoLoops& loops, bool wanted) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (loops.heartbeat() == wanted) {
            return true;
        }
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

TEST(IoLoops, ZeroThreadsMeansOnePerCore) {
    IoLoops loops(0, Poco::Logger::get("test"));
    EXPECT_EQ(loops.size(), std::max(1u, std::thread::hardware_concurrency()));
    EXPECT_EQ(IoLoops(3, Poco::Logger::get("test")).size(), 3u);
}

TEST(IoLoops, HeartbeatHoldsWhileEveryLoopTurnsAndFailsWhileOneIsStuck) {
    IoLoops loops(2, Poco::Logger::get("test"));
    EXPECT_TRUE(loops.heartbeat()) << "not running yet: nothing to be stuck";
    loops.start();
    ASSERT_TRUE(heartbeatBecomes(loops, true));
    ASSERT_TRUE(heartbeatBecomes(loops, true));

    std::latch release(1);
    boost::asio::post(loops.next(), [&release] { release.wait(); });  // one loop stuck in a callback
    // The probe posted before the block may still run; the one after it never does.
    loops.heartbeat();
    std::this_thread::sleep_for(200ms);
    loops.heartbeat();
    for (int i = 0; i < 5; ++i) {
        std::this_thread::sleep_for(20ms);
        EXPECT_FALSE(loops.heartbeat()) << "a stuck loop must keep the heartbeat failing (" << i << ")";
    }

    release.count_down();
    EXPECT_TRUE(heartbeatBecomes(loops, true));
    loops.stop();
    EXPECT_TRUE(loops.heartbeat());
}

}  // namespace
}  // namespace micro_order::host
