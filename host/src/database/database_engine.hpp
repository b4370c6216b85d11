#pragma once

#include <cstdint>
#include <memory>
#include <micro_order/database.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "database/database_connection.hpp"
#include "database/relay_lease.hpp"

namespace micro_order::host {

/// The table that records applied migration steps: the same on every connector, made by each
/// engine's prepare() before any migration runs.
inline constexpr std::string_view kMigrationsTable =
    "CREATE TABLE IF NOT EXISTS micro_order_migrations ("
    " component VARCHAR(255) NOT NULL,"
    " version INTEGER NOT NULL,"
    " description TEXT NOT NULL,"
    " applied_at VARCHAR(40) NOT NULL,"
    " PRIMARY KEY (component, version))";

/// What differs between connectors, for the connector-neutral HostDatabase: how to open a
/// connection, how a write transaction begins, the host's own tables in this dialect, and how
/// writers meet (one group-commit funnel, or a transaction per caller on its own connection).
class DatabaseEngine {
public:
    virtual ~DatabaseEngine() = default;

    /// A new connection, set up for use (per-connection settings applied).
    virtual std::unique_ptr<DatabaseConnection> open() = 0;
    /// Once, on the first connection, before any migration (e.g. SQLite's WAL mode).
    virtual void prepare(DatabaseConnection& connection) = 0;
    /// The statement that begins a write transaction.
    virtual std::string_view beginWrite() const = 0;
    /// True: writers queue and commit in groups on one connection (SQLite: one writer at a time
    /// anyway). False: each caller runs its own transaction on its own pooled connection.
    virtual bool groupCommit() const = 0;
    /// The host's own migrations (outbox, inbox) in this engine's dialect; same versions.
    virtual const std::vector<Migration>& hostMigrations() const = 0;
    /// A plugin's migration statement as this engine runs it (the portable subset, README).
    virtual std::string migrationStatement(const std::string& statement) const { return statement; }
    /// Inside each migration step's transaction, before it reads what was applied: keeps two
    /// processes from applying one step at once (SQLite's write lock already does).
    virtual void lockMigrations(DatabaseConnection& connection) { (void)connection; }
    /// Inside a write transaction, before its first outbox row of order `orderId` (not 0) is
    /// inserted: makes the outbox rows of one order take their ids in the order their
    /// transactions commit, so the relay (which sends in id order) sends them in commit order.
    /// SQLite: one writer at a time already does. PostgreSQL: ids come from a sequence at insert,
    /// so a transaction that inserted first could commit last; a transaction-scoped lock on the
    /// order makes the second writer wait for the first's commit before it takes its id.
    virtual void orderOutbox(DatabaseConnection& connection, std::int64_t orderId) {
        (void)connection;
        (void)orderId;
    }
    /// The lease that elects one outbox relay among the hosts sharing this database; nullptr
    /// when one process owns the database (SQLite: its file is local), so its relay always runs.
    virtual std::unique_ptr<RelayLease> relayLease() { return nullptr; }
    /// Background upkeep the outbox relay runs between batches (SQLite: a WAL checkpoint).
    virtual void checkpoint(DatabaseConnection& connection) { (void)connection; }
};

}  // namespace micro_order::host
