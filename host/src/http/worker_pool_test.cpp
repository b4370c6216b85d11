#include "http/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>

namespace micro_order::host {
namespace {

using namespace std::chrono_literals;

/// Jobs that hold their worker until the test lets them go.
class Gate {
public:
    WorkerPool::Job job() {
        return [this] {
            ++started_;
            open_.wait();
            ++finished_;
        };
    }
    void waitUntilStarted(int count) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (started_ < count && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(1ms);
        }
        ASSERT_EQ(started_.load(), count);
    }
    void open() { open_.count_down(); }
    int finished() const { return finished_; }

private:
    std::latch open_{1};
    std::atomic<int> started_{0};
    std::atomic<int> finished_{0};
};

TEST(WorkerPool, RunsJobsOnItsOwnThreads) {
    WorkerPool pool("test", 2, 8);
    pool.start();
    std::promise<std::thread::id> ran;
    ASSERT_TRUE(pool.tryPost([&] { ran.set_value(std::this_thread::get_id()); }));
    auto future = ran.get_future();
    ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
    EXPECT_NE(future.get(), std::this_thread::get_id());
}

TEST(WorkerPool, RefusesOnceEveryThreadIsBusyAndTheQueueIsFull) {
    WorkerPool pool("test", 2, 3);
    pool.start();
    Gate gate;
    ASSERT_TRUE(pool.tryPost(gate.job()));
    ASSERT_TRUE(pool.tryPost(gate.job()));
    gate.waitUntilStarted(2);
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(pool.tryPost(gate.job())) << i;
    }
    EXPECT_EQ(pool.queued(), 3u);
    EXPECT_EQ(pool.queuedCounter()->load(), 3u);

    EXPECT_FALSE(pool.tryPost(gate.job()));
    EXPECT_EQ(pool.queued(), 3u);

    gate.open();
    pool.stop(true);
    EXPECT_EQ(gate.finished(), 5);
    EXPECT_EQ(pool.queued(), 0u);
}

TEST(WorkerPool, WithNoQueueTakesOnlyWhatAnIdleThreadRunsAtOnce) {
    WorkerPool pool("test", 1, 0);
    pool.start();
    Gate gate;
    gate.waitUntilStarted(0);
    // The thread may not be waiting yet right after start(): retry until it takes the job.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!pool.tryPost(gate.job()) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(1ms);
    }
    gate.waitUntilStarted(1);
    EXPECT_FALSE(pool.tryPost(gate.job()));
    gate.open();
    pool.stop(true);
}

TEST(WorkerPool, StopDropsQueuedJobsUnlessAskedToRunThem) {
    WorkerPool pool("test", 1, 4);
    pool.start();
    Gate gate;
    ASSERT_TRUE(pool.tryPost(gate.job()));
    gate.waitUntilStarted(1);
    std::atomic<int> ran{0};
    auto holder = std::make_shared<int>(0);
    ASSERT_TRUE(pool.tryPost([&ran, holder] { ++ran; }));
    std::thread stopper([&] { pool.stop(false); });
    std::this_thread::sleep_for(20ms);
    gate.open();
    stopper.join();
    EXPECT_EQ(ran.load(), 0);
    EXPECT_EQ(holder.use_count(), 1) << "a dropped job still holds what it captured";
    EXPECT_FALSE(pool.tryPost([] {}));
}

}  // namespace
}  // namespace micro_order::host
