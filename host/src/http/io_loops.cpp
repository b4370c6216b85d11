#include "http/io_loops.hpp"

#include <pthread.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <string>

namespace micro_order::host {

IoLoops::IoLoops(int threads, Poco::Logger& logger) : logger_(logger) {
    std::size_t count = threads > 0 ? static_cast<std::size_t>(threads) : std::thread::hardware_concurrency();
    count = std::max<std::size_t>(count, 1);
    for (std::size_t i = 0; i < count; ++i) {
        loops_.push_back(std::make_unique<Loop>());
    }
}

IoLoops::~IoLoops() { stop(); }

void IoLoops::start() {
    if (running_.exchange(true)) {
        return;
    }
    for (std::size_t i = 0; i < loops_.size(); ++i) {
        Loop& loop = *loops_[i];
        loop.thread = std::thread([this, &loop, i] { run(loop, i); });
    }
}

void IoLoops::run(Loop& loop, std::size_t index) {
    const std::string name = "http-io-" + std::to_string(index);
    pthread_setname_np(pthread_self(), name.c_str());
    // Callbacks catch what they throw; this only keeps a loop alive if one forgot to.
    for (;;) {
        try {
            loop.context.run();
            return;
        } catch (const std::exception& error) {
            logger_.error("%s: a callback threw: %s", name, std::string(error.what()));
        } catch (...) {
            logger_.error("%s: a callback threw an unknown exception", name);
        }
    }
}

void IoLoops::stop() {
    if (!running_.exchange(false)) {
        return;
    }
    for (auto& loop : loops_) {
        loop->work.reset();
        loop->context.stop();
    }
    for (auto& loop : loops_) {
        if (loop->thread.joinable()) {
            loop->thread.join();
        }
    }
}

boost::asio::io_context& IoLoops::next() {
    return loops_[next_.fetch_add(1, std::memory_order_relaxed) % loops_.size()]->context;
}

bool IoLoops::heartbeat() {
    if (!running_) {
        return true;
    }
    for (const auto& loop : loops_) {
        if (loop->probed.load(std::memory_order_acquire) != generation_) {
            return false;  // that loop has not come round to the last probe yet
        }
    }
    const std::uint64_t generation = ++generation_;
    for (auto& loop : loops_) {
        boost::asio::post(loop->context, [&probed = loop->probed, generation] {
            probed.store(generation, std::memory_order_release);
        });
    }
    return true;
}

}  // namespace micro_order::host
