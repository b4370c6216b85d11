#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "database/database_connection.hpp"

namespace micro_order::host {

/// Connections of one database, of any connector, opened on demand up to the pool size. A
/// thread that finds none free waits for one to come back (no polling, no exceptions on the
/// way); a connection that was lost is closed on return, and a new one opened when needed.
class ConnectionPool {
public:
    using Opener = std::function<std::unique_ptr<DatabaseConnection>()>;

    class Lease {
    public:
        Lease(ConnectionPool& pool, std::unique_ptr<DatabaseConnection> connection)
            : pool_(&pool), connection_(std::move(connection)) {}
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease() {
            if (connection_) {
                pool_->release(std::move(connection_));
            }
        }
        DatabaseConnection& operator*() const { return *connection_; }
        DatabaseConnection* operator->() const { return connection_.get(); }

    private:
        ConnectionPool* pool_;
        std::unique_ptr<DatabaseConnection> connection_;
    };

    /// `name` names the database in errors; `wait` bounds how long acquire() waits.
    ConnectionPool(std::string name, int size, std::chrono::milliseconds wait, Opener open)
        : name_(std::move(name)), size_(size), wait_(wait), open_(std::move(open)) {}

    /// Waits up to `wait` for a connection; throws a transient DatabaseBusyError then.
    Lease acquire();

private:
    void release(std::unique_ptr<DatabaseConnection> connection);

    std::string name_;
    int size_;
    std::chrono::milliseconds wait_;
    Opener open_;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<DatabaseConnection>> idle_;
    int opened_ = 0;
};

}  // namespace micro_order::host
