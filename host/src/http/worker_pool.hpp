#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace micro_order::host {

/// The threads that run one listener's handlers (which block on databases), with a bounded
/// queue: when every thread is busy and `queueCapacity` requests already wait, tryPost refuses
/// and the listener answers 503 at once instead of queueing without end. One pool per listener,
/// so a handler calling another listener of the process (the docs plugin fetching
/// /openapi.json) cannot wait on threads it holds itself.
class WorkerPool {
public:
    using Job = std::function<void()>;

    WorkerPool(std::string name, int threads, int queueCapacity);
    ~WorkerPool();

    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void start();
    /// Queues `job` unless the pool is full (or stopped); false means refused. Thread-safe.
    bool tryPost(Job job);
    /// Jobs waiting for a thread (not those running).
    std::size_t queued() const { return queued_->load(std::memory_order_relaxed); }
    /// The same number, shared: a metrics gauge may outlive the pool.
    std::shared_ptr<const std::atomic<std::size_t>> queuedCounter() const { return queued_; }
    /// Stops taking jobs and joins the threads once they finish the job in hand; jobs still
    /// queued run first when `runQueued`, else they are dropped.
    void stop(bool runQueued);

private:
    void work();
    void countQueued() { queued_->store(jobs_.size() > idle_ ? jobs_.size() - idle_ : 0, std::memory_order_relaxed); }

    std::string name_;
    int threadCount_;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    std::size_t idle_ = 0;  ///< threads waiting for a job
    std::shared_ptr<std::atomic<std::size_t>> queued_ = std::make_shared<std::atomic<std::size_t>>(0);
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace micro_order::host
