#include "http/worker_pool.hpp"

#include <pthread.h>

namespace micro_order::host {

WorkerPool::WorkerPool(std::string name, int threads, int queueCapacity)
    : name_(std::move(name)), threadCount_(threads), capacity_(static_cast<std::size_t>(queueCapacity)) {}

WorkerPool::~WorkerPool() { stop(false); }

void WorkerPool::start() {
    std::lock_guard lock(mutex_);
    for (int i = 0; i < threadCount_; ++i) {
        threads_.emplace_back([this] { work(); });
        // Linux thread names are at most 15 characters; the instance name comes first.
        pthread_setname_np(threads_.back().native_handle(), (name_.substr(0, 12) + "-w").c_str());
    }
}

bool WorkerPool::tryPost(Job job) {
    {
        std::lock_guard lock(mutex_);
        // Idle threads take queued jobs at once: only what waits beyond them counts as queued.
        if (stopping_ || jobs_.size() >= capacity_ + idle_) {
            return false;
        }
        jobs_.push_back(std::move(job));
        countQueued();
    }
    wake_.notify_one();
    return true;
}

void WorkerPool::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        ++idle_;
        countQueued();
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        --idle_;
        if (jobs_.empty()) {
            return;  // stopping, and nothing left to run
        }
        Job job = std::move(jobs_.front());
        jobs_.pop_front();
        countQueued();
        lock.unlock();
        job();          // jobs catch what they throw: a worker never dies of a handler
        job = nullptr;  // what the job holds (a connection) is released outside the lock
        lock.lock();
    }
}

void WorkerPool::stop(bool runQueued) {
    std::deque<Job> dropped;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        if (!runQueued) {
            dropped.swap(jobs_);
        }
    }
    wake_.notify_all();
    for (auto& thread : threads_) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    threads_.clear();
}

}  // namespace micro_order::host
