#pragma once

#include "database/database_engine.hpp"
#include "host_config.hpp"

namespace micro_order::host {

/// PostgreSQL behind HostDatabase (`connector: postgresql`): each writer runs its own READ
/// COMMITTED transaction on its own pooled connection (the server runs them side by side; no
/// funnel), the host's tables in PostgreSQL's types, and migrations serialised across hosts by
/// a transaction-scoped advisory lock.
class PostgresqlEngine final : public DatabaseEngine {
public:
    explicit PostgresqlEngine(DatabaseSettings settings) : settings_(std::move(settings)) {}

    std::unique_ptr<DatabaseConnection> open() override;
    void prepare(DatabaseConnection& connection) override;
    std::string_view beginWrite() const override { return "BEGIN"; }
    bool groupCommit() const override { return false; }
    const std::vector<Migration>& hostMigrations() const override;
    std::string migrationStatement(const std::string& statement) const override;
    void lockMigrations(DatabaseConnection& connection) override;
    void orderOutbox(DatabaseConnection& connection, std::int64_t orderId) override;
    std::unique_ptr<RelayLease> relayLease() override;

private:
    DatabaseSettings settings_;
};

}  // namespace micro_order::host
