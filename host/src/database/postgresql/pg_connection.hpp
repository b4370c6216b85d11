#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "database/database_connection.hpp"
#include "database/postgresql/pg_statement.hpp"
#include "host_config.hpp"

namespace micro_order::host {

/// One libpq connection with its prepared statements (each text prepared once, on first use).
/// TCP keepalives are on, so a dead server or a network split is noticed within seconds rather
/// than the kernel's two hours; `statement_timeout_ms` bounds every statement.
class PgConnection final : public DatabaseConnection {
public:
    /// Connects to `settings.url`; throws a transient PostgresqlError when it cannot.
    explicit PgConnection(const DatabaseSettings& settings);
    ~PgConnection() override;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    PgStatement& statement(std::string_view sql) override;
    void resetStatements() override;
    /// BEGIN, ROLLBACK and the like. A COMMIT that loses the connection on its way throws
    /// CommitOutcomeUnknown: it may have committed.
    void execute(std::string_view sql) override;
    void executeOnce(std::string_view sql) override { execute(sql); }
    bool inTransaction() const override;
    bool usable() const override { return PQstatus(connection_) == CONNECTION_OK; }

    PGconn* handle() const { return connection_; }

private:
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };

    PGconn* connection_;
    std::unordered_map<std::string, std::unique_ptr<PgStatement>, TextHash, std::equal_to<>> statements_;
    std::vector<PgStatement*> handedOut_;
};

}  // namespace micro_order::host
