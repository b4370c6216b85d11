#pragma once

/// @file
/// Database part of the micro-order plugin SDK: pooled Poco::Data sessions, transactions that
/// carry outgoing messages (the transactional outbox) and versioned migrations.

#include <Poco/Data/Session.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
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

/// One database transaction (`BEGIN IMMEDIATE` … `COMMIT`). Everything done through session()
/// and every message published here commits together, or not at all.
class Transaction {
public:
    virtual ~Transaction() = default;
    virtual Poco::Data::Session& session() = 0;
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
    /// Runs `work` on a pooled session, in autocommit mode (reads). The session goes back to
    /// the pool when `work` returns: do not keep it.
    virtual void read(const std::function<void(Poco::Data::Session&)>& work) = 0;
    /// Runs `work` in a write transaction. Retries the whole of `work` while the database is
    /// busy; any other exception rolls back and propagates. `work` may therefore run twice:
    /// keep it free of side effects outside the transaction.
    virtual void transact(const std::function<void(Transaction&)>& work) = 0;
    /// Applies the steps of `component` that this database has not run yet, each in its own
    /// transaction, recording them in `micro_order_migrations`.
    virtual void migrate(const std::string& component, const std::vector<Migration>& steps) = 0;
};

}  // namespace micro_order
