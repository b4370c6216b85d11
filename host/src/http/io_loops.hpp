#pragma once

// Boost 1.74's asio/awaitable.hpp uses std::exchange without <utility> in C++20: first.
#include <Poco/Logger.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

namespace micro_order::host {

/// The event loops every HTTP listener of the process shares: a few threads that accept, read,
/// parse and write for all connections. One io_context per thread, so a connection lives on one
/// thread and its callbacks need neither strand nor lock. Handlers never run here (they block on
/// databases): they run on each listener's WorkerPool.
class IoLoops {
public:
    /// `threads` = 0: one per core.
    IoLoops(int threads, Poco::Logger& logger);
    ~IoLoops();

    IoLoops(const IoLoops&) = delete;
    IoLoops& operator=(const IoLoops&) = delete;

    void start();
    /// Stops every loop and joins its thread; what is still queued is destroyed with the loops.
    void stop();

    std::size_t size() const { return loops_.size(); }
    /// The loops in turn, to spread listeners and connections over the threads.
    boost::asio::io_context& next();

    /// True when every loop ran the probe the previous call posted, so a loop stuck in a
    /// callback stops the systemd watchdog; then posts fresh probes. True while not running.
    /// Call it from one thread.
    bool heartbeat();

private:
    struct Loop {
        boost::asio::io_context context{1};
        boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{context.get_executor()};
        std::thread thread;
        std::atomic<std::uint64_t> probed{0};  ///< the last probe generation this loop ran
    };
    void run(Loop& loop, std::size_t index);

    Poco::Logger& logger_;
    std::vector<std::unique_ptr<Loop>> loops_;
    std::atomic<std::size_t> next_{0};
    std::uint64_t generation_ = 0;
    std::atomic<bool> running_{false};
};

}  // namespace micro_order::host
