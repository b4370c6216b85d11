#pragma once

#include <Poco/Data/Session.h>
#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <micro_order/database.hpp>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "host_config.hpp"
#include "sqlite_statement.hpp"

namespace micro_order::host {

/// One SQLite connection: a Poco session for cold paths, and the raw handle with a cache of
/// compiled statements for hot ones (Poco re-compiles a statement on every execution, which
/// cost a fifth of the host's CPU per order).
class SqliteConnection final : public Connection {
public:
    explicit SqliteConnection(const DatabaseSettings& settings);
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    Poco::Data::Session& session() override { return session_; }
    sqlite3* handle() const { return handle_; }

    /// The statement for `sql`, compiled on first use on this connection, reset and unbound.
    SqliteStatement& statement(std::string_view sql) override;
    /// Resets every statement handed out since the last call, so none keeps a read snapshot
    /// (which would hold back WAL checkpoints) or a half-run write while the connection idles.
    void resetStatements();
    /// Runs a statement that returns no rows; throws the Poco::Data::SQLite exception for the
    /// error (so busy and locked stay recognisable as transient).
    void execute(std::string_view sql);

private:
    /// The statement for `sql`, compiled on first use, reset.
    SqliteStatement& compiled(std::string_view sql);

    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };

    Poco::Data::Session session_;
    sqlite3* handle_;
    std::unordered_map<std::string, std::unique_ptr<SqliteStatement>, TextHash, std::equal_to<>> statements_;
    std::vector<SqliteStatement*> handedOut_;
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

}  // namespace micro_order::host
