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

SqliteConnection::~SqliteConnection() {
    for (auto& [sql, statement] : statements_) {
        sqlite3_finalize(statement);
    }
}

sqlite3_stmt* SqliteConnection::prepared(const char* sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) {
        return it->second;
    }
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v3(handle_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) {
        Poco::Data::SQLite::Utility::throwException(handle_, rc, sql);
    }
    statements_.emplace(sql, statement);
    return statement;
}

void SqliteConnection::execute(const char* sql) {
    StatementRun run(*this, sql);
    run.step();
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
            throw Poco::Data::SQLite::DBLockedException(
                "no free connection to " + settings_.name + " within busy_timeout_ms; raise pool_size");
        }
    }
}

void SqliteConnectionPool::release(std::unique_ptr<SqliteConnection> connection) {
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(connection));
    }
    returned_.notify_one();
}

StatementRun& StatementRun::bind(int index, const std::string& text) {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

StatementRun& StatementRun::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(statement_, index, value);
    return *this;
}

bool StatementRun::step() {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    Poco::Data::SQLite::Utility::throwException(connection_.handle(), rc, sqlite3_sql(statement_));
    return false;
}

std::string StatementRun::text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))) : std::string();
}

}  // namespace micro_order::host
