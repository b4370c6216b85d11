#pragma once

#include <libpq-fe.h>

#include <micro_order/database.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace micro_order::host {

/// One prepared statement of one PostgreSQL connection, kept for the connection's lifetime:
/// the SDK's Statement over PQprepare/PQexecPrepared. Parameters go as text and take the type
/// the server infers from where they stand; an unbound parameter is NULL. The first step() runs
/// the statement (one round trip) and holds its rows; later steps walk them.
class PgStatement final : public Statement {
public:
    /// Prepares `sql` (with `?` parameters) as `name` on `connection`; throws PostgresqlError.
    PgStatement(PGconn* connection, std::string name, std::string_view sql);
    ~PgStatement();
    PgStatement(const PgStatement&) = delete;
    PgStatement& operator=(const PgStatement&) = delete;

    PgStatement& bind(int parameter, std::int64_t value) override;
    PgStatement& bind(int parameter, std::string_view text) override;
    bool step() override;
    std::int64_t int64(int column) const override;
    std::string text(int column) const override;
    int changes() const override { return changes_; }

    /// Ready for the next use: rows dropped, bindings cleared.
    void reset();

private:
    void clearResult();
    std::optional<std::string>& parameter(int number);

    PGconn* connection_;
    std::string name_;
    std::string sql_;
    std::vector<std::optional<std::string>> parameters_;
    PGresult* result_ = nullptr;
    int row_ = -1;
    int changes_ = 0;
};

/// The PostgresqlError for a failed result (or, with none, the connection's last error).
[[noreturn]] void throwPostgresqlError(PGconn* connection, const PGresult* result, std::string_view sql);

}  // namespace micro_order::host
