#pragma once

/// @file
/// Database part of the micro-order plugin SDK: pooled connections with statements prepared
/// once, transactions that carry outgoing messages (the transactional outbox) and versioned
/// migrations. The same calls serve every connector (SQLite, PostgreSQL); the README's "SQL for
/// both connectors" says which SQL runs on both.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace micro_order {

/// A message to publish once the transaction that emitted it has committed.
struct OutgoingMessage {
    std::string exchange;
    std::string routingKey;
    std::string body;  ///< JSON
    /// Empty: inherit the correlation id of the message being handled, or make a new one.
    std::string correlationId;
    /// 0: inherit the order id of the message being handled (if any).
    std::int64_t orderId = 0;
};

/// A prepared SQL statement, kept by its connection for reuse: bind, step, read. Preparing costs
/// more than running a short statement, so each text is prepared once per connection.
/// Parameters are written `?` and count from 1; columns count from 0. A parameter left unbound
/// is NULL.
class Statement {
public:
    virtual Statement& bind(int parameter, std::int64_t value) = 0;
    virtual Statement& bind(int parameter, std::string_view text) = 0;
    /// Runs the statement to its next row: true when a row is there to read, false when done
    /// (stepping again after false runs it again). Errors throw a std::exception naming the
    /// statement; the host tells a passing failure (busy, a lost connection) from the rest.
    virtual bool step() = 0;
    virtual std::int64_t int64(int column) const = 0;
    virtual std::string text(int column) const = 0;
    /// Rows changed by the INSERT, UPDATE or DELETE just run (with RETURNING: once stepped to
    /// the end).
    virtual int changes() const = 0;

protected:
    ~Statement() = default;
};

/// One pooled connection, lent for the length of a `read` or a `transact`.
class Connection {
public:
    /// The statement for `sql`, prepared on this connection's first use of that text and kept;
    /// handed out reset, with no parameter bound. Valid until the `read` or `transact` returns
    /// or `statement` is called again with the same text. Pass fixed texts: each distinct
    /// text is kept for the connection's lifetime.
    virtual Statement& statement(std::string_view sql) = 0;

protected:
    ~Connection() = default;
};

/// One work's part of a write transaction, which the works of other callers waiting at the same
/// time may share (the SQLite connector commits them in groups). Everything done through this connection
/// and every message published here commits together, or not at all. Leave transaction
/// control (COMMIT, ROLLBACK, SAVEPOINT) to the host.
class Transaction : public Connection {
public:
    virtual ~Transaction() = default;
    /// Stores the message in this database's outbox; the host's relay publishes it after commit.
    virtual void publish(const OutgoingMessage& message) = 0;
};

/// One schema step of a component. Versions start at 1 and only grow; a step never changes
/// once released.
struct Migration {
    int version;
    std::string description;
    std::vector<std::string> statements;
};

/// A named database from the YAML file, shared by every plugin instance that names it.
class Database {
public:
    virtual ~Database() = default;
    /// Runs `work` on a pooled connection, in autocommit mode (reads). The connection goes back
    /// to the pool when `work` returns: do not keep it.
    virtual void read(const std::function<void(Connection&)>& work) = 0;
    /// Runs `work` in a write transaction and returns once it committed; an exception from
    /// `work` rolls its changes back and propagates. Writers waiting together may commit
    /// together: `work` may run on another caller's thread (while this one waits), and again
    /// when the database was busy, a serialization failure or deadlock hit it, the connection
    /// was lost before COMMIT, or another work of its batch failed. Keep it free of side effects
    /// outside the transaction and of thread-local state. A failure of the transaction itself
    /// (the database still busy after retries, an I/O error, a failed COMMIT, a COMMIT whose
    /// outcome is unknown, which is never run again) is thrown to every caller whose work was
    /// in it; the host answers such a request 503.
    virtual void transact(const std::function<void(Transaction&)>& work) = 0;
    /// read() for a work that returns a value:
    /// `auto order = database.readValue([&](Connection& c) { return findOrder(c, id); });`
    template <class Work>
    std::invoke_result_t<Work&, Connection&> readValue(Work&& work) {
        std::optional<std::invoke_result_t<Work&, Connection&>> result;
        read([&](Connection& connection) { result.emplace(work(connection)); });
        return std::move(*result);
    }
    /// transact() for a work that returns a value (the value of the run that committed).
    template <class Work>
    std::invoke_result_t<Work&, Transaction&> transactValue(Work&& work) {
        std::optional<std::invoke_result_t<Work&, Transaction&>> result;
        transact([&](Transaction& tx) { result.emplace(work(tx)); });
        return std::move(*result);
    }
    /// Applies the steps of `component` that this database has not run yet, each in its own
    /// transaction, recording them in `micro_order_migrations`; hosts migrating one database at
    /// once apply each step once.
    virtual void migrate(const std::string& component, const std::vector<Migration>& steps) = 0;
};

}  // namespace micro_order
