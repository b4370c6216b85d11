#pragma once

#include <Poco/Data/Session.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "database/database_connection.hpp"
#include "database/sqlite/sqlite_statement.hpp"
#include "host_config.hpp"

namespace micro_order::host {

/// One SQLite connection: a Poco session for cold paths, and the raw handle with a cache of
/// compiled statements for hot ones (Poco re-compiles a statement on every execution, which
/// cost a fifth of the host's CPU per order).
class SqliteConnection final : public DatabaseConnection {
public:
    explicit SqliteConnection(const DatabaseSettings& settings);
    ~SqliteConnection() override;
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    /// The connection as a Poco::Data session (tests set rows up through it).
    Poco::Data::Session& session() { return session_; }
    sqlite3* handle() const { return handle_; }

    /// The statement for `sql`, compiled on first use on this connection, reset and unbound.
    SqliteStatement& statement(std::string_view sql) override;
    /// Resets every statement handed out since the last call, so none keeps a read snapshot
    /// (which would hold back WAL checkpoints) or a half-run write while the connection idles.
    void resetStatements() override;
    /// Runs a statement that returns no rows; throws the Poco::Data::SQLite exception for the
    /// error (so busy and locked stay recognisable as transient).
    void execute(std::string_view sql) override;
    void executeOnce(std::string_view sql) override;
    bool inTransaction() const override { return !sqlite3_get_autocommit(handle_); }

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

}  // namespace micro_order::host
