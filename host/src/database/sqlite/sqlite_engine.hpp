#pragma once

#include "database/database_engine.hpp"
#include "host_config.hpp"

namespace micro_order::host {

/// SQLite behind HostDatabase: one file in WAL mode, connections with the configured busy
/// timeout and synchronous level, writers funnelled into group commits (SQLite has one writer
/// at a time per file anyway, and one commit per group is one WAL sync).
class SqliteEngine final : public DatabaseEngine {
public:
    explicit SqliteEngine(DatabaseSettings settings);

    std::unique_ptr<DatabaseConnection> open() override;
    void prepare(DatabaseConnection& connection) override;
    /// BEGIN IMMEDIATE takes SQLite's write lock up front: a deferred transaction that reads,
    /// then writes, fails with "database is locked" against another process.
    std::string_view beginWrite() const override { return "BEGIN IMMEDIATE"; }
    bool groupCommit() const override { return true; }
    const std::vector<Migration>& hostMigrations() const override;
    /// Copies what the WAL holds into the database file without blocking anyone (PASSIVE).
    void checkpoint(DatabaseConnection& connection) override;

private:
    DatabaseSettings settings_;
};

}  // namespace micro_order::host
