#include "sqlite_connection_pool.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>

using namespace Poco::Data::Keywords;

namespace micro_order::host {

SqliteConnection::SqliteConnection(const DatabaseSettings& settings)
    : session_(Poco::Data::SQLite::Connector::KEY, settings.path),
      handle_(Poco::Data::SQLite::Utility::dbHandle(session_)) {
    // PRAGMAs are per connection: each one must be set up, or it runs with SQLite's defaults.
    session_ << "PRAGMA busy_timeout = " + std::to_string(settings.busyTimeoutMs), now;
    session_ << "PRAGMA synchronous = " + settings.synchronous, now;
    session_ << "PRAGMA foreign_keys = ON", now;
    // The outbox relay checkpoints the WAL in the background (SqliteDatabase::checkpoint);
    // SQLite's own checkpoint, run inside whichever commit crosses the threshold, stays only
    // as a safety net far above the default 1,000 pages.
    session_ << "PRAGMA wal_autocheckpoint = 10000", now;
}

SqliteConnection::~SqliteConnection() = default;

SqliteStatement& SqliteConnection::compiled(std::string_view sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        it = statements_.emplace(std::string(sql), std::make_unique<SqliteStatement>(handle_, sql)).first;
    } else {
        it->second->reset();
    }
    return *it->second;
}

SqliteStatement& SqliteConnection::statement(std::string_view sql) {
    SqliteStatement& handedOut = compiled(sql);
    handedOut_.push_back(&handedOut);
    return handedOut;
}

void SqliteConnection::resetStatements() {
    for (SqliteStatement* statement : handedOut_) {
        statement->reset();
    }
    handedOut_.clear();
}

void SqliteConnection::execute(std::string_view sql) {
    // Reset here, so not handed out: BEGIN and COMMIT need no reset at release.
    SqliteStatement& run = compiled(sql);
    try {
        run.step();
    } catch (...) {
        run.reset();
        throw;
    }
    run.reset();
}

SqliteConnectionPool::Lease SqliteConnectionPool::acquire() {
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(settings_.busyTimeoutMs);
    for (;;) {
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(connection));
        }
        if (open_ < settings_.poolSize) {
            ++open_;
            lock.unlock();
            try {
                return Lease(*this, std::make_unique<SqliteConnection>(settings_));
            } catch (...) {
                std::lock_guard again(mutex_);
                --open_;
                throw;
            }
        }
        if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty()) {
            throw Poco::Data::SQLite::DBLockedException("no free connection to " + settings_.name +
                                                        " within busy_timeout_ms; raise pool_size");
        }
    }
}

void SqliteConnectionPool::release(std::unique_ptr<SqliteConnection> connection) {
    connection->resetStatements();
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(connection));
    }
    returned_.notify_one();
}

}  // namespace micro_order::host
