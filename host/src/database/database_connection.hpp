#pragma once

#include <micro_order/database.hpp>
#include <string_view>

namespace micro_order::host {

/// What the host's database layer needs of one connection of any connector, beyond what a
/// plugin sees (the SDK's Connection): transaction control, and whether it is still usable.
class DatabaseConnection : public Connection {
public:
    virtual ~DatabaseConnection() = default;

    /// Runs a statement that returns no rows (BEGIN, COMMIT, a migration step); throws the
    /// connector's error, which isTransientDatabaseError() classifies.
    virtual void execute(std::string_view sql) = 0;
    /// Runs `sql` once without keeping it compiled (migration steps); same errors as execute().
    virtual void executeOnce(std::string_view sql) = 0;
    /// Resets every statement handed out since the last call, so none keeps a read snapshot or a
    /// half-read result while the connection idles in the pool.
    virtual void resetStatements() = 0;
    /// True inside a transaction (BEGIN ran and neither COMMIT nor ROLLBACK ended it yet).
    virtual bool inTransaction() const = 0;
    /// False once the connection is lost: the pool closes it instead of lending it again.
    virtual bool usable() const { return true; }
};

}  // namespace micro_order::host
