#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <micro_order/database.hpp>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <vector>

#include "database/connection_pool.hpp"
#include "database/database_engine.hpp"
#include "database/transient_error.hpp"
#include "database_health.hpp"
#include "host_config.hpp"

namespace micro_order::host {

/// One row of the transactional outbox.
struct OutboxRow {
    std::int64_t id = 0;
    std::string messageId;
    std::string exchange;
    std::string routingKey;
    std::string body;
    std::string correlationId;
    std::int64_t orderId = 0;
    std::string headers;  ///< extra string headers as a JSON object, may be empty
    std::int64_t createdAtMicros = 0;
    /// When the chain of messages this one belongs to began (the first publication's time, µs),
    /// carried along as the `x-origin-time` header so consumers can time whole workflows.
    std::int64_t originMicros = 0;
};

/// What a message handler's transaction inherits: publications made while handling a message
/// carry its correlation and order ids on.
struct MessageScope {
    std::string correlationId;
    std::int64_t orderId = 0;
    std::int64_t originMicros = 0;
};

/// Where a database is, for messages: its file, or its URL without the password.
std::string databaseLocation(const DatabaseSettings& settings);

/// A named database of any connector (`connector:` in its settings, database_engine.hpp): a
/// pool of connections, write transactions retried on transient failures and, where the engine
/// wants it, committed in groups by one writer at a time in the process (see
/// transactWithScope), plus the host's own tables: migrations, outbox and inbox.
class HostDatabase final : public Database {
public:
    HostDatabase(const DatabaseSettings& settings, Poco::Logger& logger);
    ~HostDatabase() override;

    const std::string& name() const { return settings_.name; }

    void read(const std::function<void(Connection&)>& work) override;
    void transact(const std::function<void(Transaction&)>& work) override;
    void migrate(const std::string& component, const std::vector<Migration>& steps) override;

    /// transact() for a message handler: inherits `scope`.
    void transact(const std::function<void(Transaction&)>& work, const MessageScope& scope);

    /// Adds a fully formed message to the outbox in `tx`'s transaction (dead letters, relays).
    static void enqueue(Transaction& tx, const OutboxRow& row);

    /// Called after every commit that added outbox rows (the relay's wake-up).
    void onOutboxCommit(std::function<void()> listener);
    std::vector<OutboxRow> pendingOutbox(std::size_t limit);
    void removeFromOutbox(const std::vector<std::int64_t>& ids);
    /// Rows waiting and the creation time of the oldest (0 when empty).
    std::pair<std::int64_t, std::int64_t> outboxBacklog();

    /// Why the database cannot take writes now ("disk full", "I/O error"), or nullopt. Set when
    /// a write transaction failed so, cleared by the next commit; while set, each call tries
    /// one small write (a probe row in the inbox) at most once a second, so it clears itself
    /// once the disk has room even when nothing else writes.
    std::optional<std::string> unusableReason();

    /// Whether this process's outbox relay may publish now (the fence before each batch): always
    /// for a database only this process uses; for one shared by several hosts, while this one
    /// holds the relay lease (taken when free). Called from the relay thread only.
    bool holdsRelayLease();
    /// True when other hosts may share this database (their commits do not wake this relay).
    bool shared() const { return relayLease_ != nullptr; }

    /// The engine's background upkeep (SQLite: a passive WAL checkpoint), between relay batches.
    void checkpoint();
    /// Forgets inbox entries handled before `beforeMicros` (µs since the epoch); returns how many.
    int pruneInbox(std::int64_t beforeMicros);
    /// pruneInbox() by the configured retention, at most once per `interval`; 0 when not due.
    int pruneInboxIfDue(std::chrono::steady_clock::duration interval);

    /// Records `messageId` as handled by `queue` in `tx`; false when it already was.
    static bool recordInInbox(Transaction& tx, const std::string& messageId, const std::string& queue);

private:
    /// One caller's work waiting for, or in, a group commit.
    struct PendingWrite {
        const std::function<void(Transaction&)>* work;
        const MessageScope* scope;
        std::exception_ptr error;
        bool done = false;
        /// Released once: when the work is done, or when this writer is handed the lead.
        std::binary_semaphore woken{0};
    };
    /// Works per transaction: enough to amortise a commit, few enough that one batch does not
    /// keep its first caller waiting long.
    static constexpr std::size_t kMaxBatch = 64;

    void transactWithScope(const std::function<void(Transaction&)>& work, const MessageScope* scope);
    /// Wakes the oldest queued writer to lead the next batch, or marks no batch running.
    void handOffLead();
    /// Runs `batch` in one transaction (again without a work that threw; again after a pause
    /// while the database is busy), then marks each work done with its own outcome.
    void runBatch(const std::vector<PendingWrite*>& batch);
    /// One attempt: BEGIN, every work not yet failed, COMMIT. Returns whether
    /// anything was published; nullopt when a work threw (it is marked with its error and the
    /// transaction rolled back); throws when the transaction as a whole failed.
    std::optional<bool> commitBatch(const std::vector<PendingWrite*>& batch);

    DatabaseSettings settings_;
    Poco::Logger& logger_;
    std::unique_ptr<DatabaseEngine> engine_;
    ConnectionPool pool_;
    std::unique_ptr<RelayLease> relayLease_;
    /// The relay lease as last seen by the relay thread, for the log: logged when it changes.
    enum class LeaseState { unseen, held, other, unknown };
    LeaseState leaseState_ = LeaseState::unseen;
    /// With group commit, writers queue here rather than in the engine (SQLite's busy handler
    /// sleeps for milliseconds); one batch at a time. The busy timeout still covers other
    /// processes on the file.
    std::mutex queueMutex_;
    std::deque<PendingWrite*> queue_;
    bool batchRunning_ = false;
    std::chrono::steady_clock::time_point nextPrune_{};
    std::mutex listenerMutex_;
    std::function<void()> outboxListener_;
    DatabaseHealth health_;
};

}  // namespace micro_order::host
