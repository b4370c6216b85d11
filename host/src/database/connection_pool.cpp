#include "database/connection_pool.hpp"

#include "database/transient_error.hpp"

namespace micro_order::host {

ConnectionPool::Lease ConnectionPool::acquire() {
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + wait_;
    for (;;) {
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(connection));
        }
        if (opened_ < size_) {
            ++opened_;
            lock.unlock();
            try {
                return Lease(*this, open_());
            } catch (...) {
                std::lock_guard again(mutex_);
                --opened_;
                throw;
            }
        }
        if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && opened_ >= size_) {
            throw DatabaseBusyError("no free connection to " + name_ + " within busy_timeout_ms; raise pool_size");
        }
    }
}

void ConnectionPool::release(std::unique_ptr<DatabaseConnection> connection) {
    bool keep = connection->usable();
    if (keep) {
        try {
            connection->resetStatements();
        } catch (...) {
            keep = false;
        }
    }
    std::vector<std::unique_ptr<DatabaseConnection>> closing;
    {
        std::lock_guard lock(mutex_);
        if (keep) {
            idle_.push_back(std::move(connection));
        } else {
            // One lost connection usually means the server restarted or the network broke: the
            // idle ones went with it, and a writer would otherwise find them dead one by one.
            closing.swap(idle_);
            opened_ -= static_cast<int>(closing.size()) + 1;
        }
    }
    // Closed outside the lock: closing a network connection may take a moment.
    connection.reset();
    closing.clear();
    returned_.notify_one();
}

}  // namespace micro_order::host
