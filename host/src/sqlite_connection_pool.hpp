#pragma once

#include "host_config.hpp"

#include <Poco/Data/Session.h>

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace micro_order::host {

/// One SQLite connection: a Poco session for plugins' statements, and the raw handle for the
/// host's own hot statements, each prepared once per connection (Poco re-prepares a statement
/// on every execution, which cost a fifth of the host's CPU per order).
class SqliteConnection {
public:
    SqliteConnection(const DatabaseSettings& settings);
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    Poco::Data::Session& session() { return session_; }
    sqlite3* handle() const { return handle_; }

    /// A statement for `sql`, compiled on first use on this connection, reset and unbound.
    /// `sql` must be a string literal (the cache is keyed by its address).
    sqlite3_stmt* prepared(const char* sql);
    /// Runs a statement that returns no rows; throws the Poco::Data::SQLite exception for the
    /// error (so busy and locked stay recognisable as transient).
    void execute(const char* sql);

private:
    Poco::Data::Session session_;
    sqlite3* handle_;
    std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

/// Connections of one database, opened on demand up to the pool size. A thread that finds
/// none free waits for one to come back (no polling, no exceptions on the way).
class SqliteConnectionPool {
public:
    class Lease {
    public:
        Lease(SqliteConnectionPool& pool, std::unique_ptr<SqliteConnection> connection)
            : pool_(&pool), connection_(std::move(connection)) {}
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease() {
            if (connection_) {
                pool_->release(std::move(connection_));
            }
        }
        SqliteConnection& operator*() const { return *connection_; }
        SqliteConnection* operator->() const { return connection_.get(); }

    private:
        SqliteConnectionPool* pool_;
        std::unique_ptr<SqliteConnection> connection_;
    };

    explicit SqliteConnectionPool(DatabaseSettings settings) : settings_(std::move(settings)) {}

    /// Waits up to the busy timeout for a connection; throws a transient (DBLocked) error then.
    Lease acquire();

private:
    void release(std::unique_ptr<SqliteConnection> connection);

    DatabaseSettings settings_;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<SqliteConnection>> idle_;
    int open_ = 0;
};

/// Binds and steps one cached statement; resets it whatever happens.
class StatementRun {
public:
    StatementRun(SqliteConnection& connection, const char* sql)
        : connection_(connection), statement_(connection.prepared(sql)) {}
    ~StatementRun() {
        sqlite3_reset(statement_);
        sqlite3_clear_bindings(statement_);
    }
    StatementRun(const StatementRun&) = delete;
    StatementRun& operator=(const StatementRun&) = delete;

    StatementRun& bind(int index, const std::string& text);
    StatementRun& bind(int index, std::int64_t value);
    /// Steps once: true while it yields a row.
    bool step();
    std::int64_t int64(int column) const { return sqlite3_column_int64(statement_, column); }
    std::string text(int column) const;
    /// Rows changed by the last step (INSERT, UPDATE, DELETE).
    int changes() const { return sqlite3_changes(connection_.handle()); }

private:
    SqliteConnection& connection_;
    sqlite3_stmt* statement_;
};

}  // namespace micro_order::host
