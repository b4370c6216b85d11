#include "database/host_database.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>

#include "database/postgresql/pg_engine.hpp"
#include "database/sqlite/sqlite_engine.hpp"
#include "random_uuid.hpp"
#include "redact_url.hpp"

namespace micro_order::host {
namespace {

std::unique_ptr<DatabaseEngine> engineFor(const DatabaseSettings& settings) {
    if (settings.connector == "postgresql") {
        return std::make_unique<PostgresqlEngine>(settings);
    }
    return std::make_unique<SqliteEngine>(settings);
}

class HostTransaction final : public Transaction {
public:
    HostTransaction(DatabaseConnection& connection, DatabaseEngine& engine, const MessageScope* scope)
        : connection_(connection), engine_(engine), scope_(scope) {}

    Statement& statement(std::string_view sql) override { return connection_.statement(sql); }
    DatabaseConnection& connection() { return connection_; }

    void publish(const OutgoingMessage& message) override {
        OutboxRow row;
        row.messageId = newRandomUuid();
        row.exchange = message.exchange;
        row.routingKey = message.routingKey;
        row.body = message.body;
        // The scope is read at each publication: a consumer handling a batch moves it along.
        row.correlationId = !message.correlationId.empty()             ? message.correlationId
                            : scope_ && !scope_->correlationId.empty() ? scope_->correlationId
                                                                       : newRandomUuid();
        row.orderId = message.orderId != 0 ? message.orderId : scope_ ? scope_->orderId : 0;
        row.originMicros =
            scope_ && scope_->originMicros ? scope_->originMicros : Poco::Timestamp().epochMicroseconds();
        HostDatabase::enqueue(*this, row);
    }

    void markPublished() { published_ = true; }
    bool published() const { return published_; }

    /// Before this transaction's first outbox row of `orderId`: see DatabaseEngine::orderOutbox.
    void orderOutbox(std::int64_t orderId) {
        if (orderId != 0 && std::find(ordered_.begin(), ordered_.end(), orderId) == ordered_.end()) {
            engine_.orderOutbox(connection_, orderId);
            ordered_.push_back(orderId);
        }
    }

private:
    DatabaseConnection& connection_;
    DatabaseEngine& engine_;
    const MessageScope* scope_;
    bool published_ = false;
    std::vector<std::int64_t> ordered_;  // orders whose outbox turn this transaction holds
};

HostTransaction& hostTransaction(Transaction& tx) {
    auto* host = dynamic_cast<HostTransaction*>(&tx);
    if (!host) {
        throw std::logic_error("not a transaction of a host database");
    }
    return *host;
}

}  // namespace

std::string databaseLocation(const DatabaseSettings& settings) {
    return settings.connector == "sqlite" ? settings.path : redactDatabaseUrl(settings.url);
}

HostDatabase::HostDatabase(const DatabaseSettings& settings, Poco::Logger& logger)
    : settings_(settings),
      logger_(logger),
      engine_(engineFor(settings)),
      pool_(settings.name, settings.poolSize, std::chrono::milliseconds(settings.busyTimeoutMs),
            [engine = engine_.get()] { return engine->open(); }) {
    {
        auto connection = pool_.acquire();
        engine_->prepare(*connection);
    }
    migrate("micro_order", engine_->hostMigrations());
    relayLease_ = engine_->relayLease();
}

bool HostDatabase::holdsRelayLease() {
    if (!relayLease_) {
        return true;
    }
    const bool held = relayLease_->hold();
    const std::string unreachable = held ? std::string() : relayLease_->unreachable();
    const LeaseState state = held ? LeaseState::held : unreachable.empty() ? LeaseState::other : LeaseState::unknown;
    if (state != leaseState_) {
        leaseState_ = state;
        if (held) {
            logger_.information("database %s: this host's outbox relay took the relay lease", settings_.name);
        } else if (state == LeaseState::other) {
            logger_.notice("database %s: this host's outbox relay stands by (another host holds the relay lease)",
                           settings_.name);
        } else {
            logger_.warning("database %s: this host's outbox relay stands by (cannot reach the database: %s)",
                            settings_.name, unreachable);
        }
    }
    return held;
}

HostDatabase::~HostDatabase() = default;

void HostDatabase::read(const std::function<void(Connection&)>& work) {
    auto connection = pool_.acquire();
    work(*connection);
}

void HostDatabase::transact(const std::function<void(Transaction&)>& work) { transactWithScope(work, nullptr); }

void HostDatabase::transact(const std::function<void(Transaction&)>& work, const MessageScope& scope) {
    transactWithScope(work, &scope);
}

void HostDatabase::transactWithScope(const std::function<void(Transaction&)>& work, const MessageScope* scope) {
    if (!engine_->groupCommit()) {
        // Each caller its own transaction on its own connection: the server runs them side by side.
        PendingWrite mine{&work, scope, nullptr};
        runBatch({&mine});
        if (mine.error) {
            std::rethrow_exception(mine.error);
        }
        return;
    }
    // Group commit: writers queue their work; whoever finds no batch running becomes the leader,
    // runs up to kMaxBatch queued works in one transaction and wakes the others. One commit
    // (one WAL append, one lock hand-over) then serves many requests; with a single writer it
    // is one transaction as before. Each waiter sleeps on its own semaphore and is woken once:
    // when its work is done, or when it is handed the lead.
    PendingWrite mine{&work, scope, nullptr};
    bool lead = false;
    {
        std::lock_guard lock(queueMutex_);
        queue_.push_back(&mine);
        if (!batchRunning_) {
            batchRunning_ = true;
            lead = true;
        }
    }
    if (!lead) {
        mine.woken.acquire();
        if (mine.done) {
            // Another thread ran this work; only a leader hands the lead on.
            if (mine.error) {
                std::rethrow_exception(mine.error);
            }
            return;
        }
    }
    // This thread leads, and `mine` is still queued (FIFO: it may take more than one batch to
    // reach it).
    while (!mine.done) {
        std::vector<PendingWrite*> batch;
        {
            std::lock_guard lock(queueMutex_);
            const std::size_t count = std::min(queue_.size(), kMaxBatch);
            batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
            queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
        }
        runBatch(batch);
        if (mine.done) {
            // Hand the lead on before waking this batch's writers: the next transaction can
            // begin on the other core while this thread does the wake-ups.
            handOffLead();
        }
        for (PendingWrite* write : batch) {
            if (write != &mine) {
                write->woken.release();
            }
        }
    }
    if (mine.error) {
        std::rethrow_exception(mine.error);
    }
}

void HostDatabase::handOffLead() {
    PendingWrite* next = nullptr;
    {
        std::lock_guard lock(queueMutex_);
        if (queue_.empty()) {
            batchRunning_ = false;
        } else {
            next = queue_.front();
        }
    }
    // `next` is still queued and asleep (only its leader or a hand-off wakes it), so it is alive.
    if (next) {
        next->woken.release();
    }
}

void HostDatabase::runBatch(const std::vector<PendingWrite*>& batch) {
    constexpr int kAttempts = 5;
    bool published = false;
    for (int attempt = 1;;) {
        if (std::all_of(batch.begin(), batch.end(),
                        [](const PendingWrite* write) { return write->error != nullptr; })) {
            break;
        }
        std::optional<bool> committed;
        try {
            committed = commitBatch(batch);
        } catch (...) {
            if (attempt < kAttempts && mayRunTransactionAgain(std::current_exception())) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
                ++attempt;
                continue;
            }
            // The transaction itself failed (or stayed busy): every work in it shares the error.
            health_.failed(std::current_exception());
            for (PendingWrite* write : batch) {
                if (!write->error) {
                    write->error = std::current_exception();
                }
            }
            break;
        }
        if (committed) {
            health_.committed();
            published = *committed;
            break;
        }
        // A work failed and was set aside: the others run again without it.
    }
    // Read by each writer after its semaphore wakes it (the release orders these writes).
    for (PendingWrite* write : batch) {
        write->done = true;
    }
    if (published) {
        std::function<void()> listener;
        {
            std::lock_guard lock(listenerMutex_);
            listener = outboxListener_;
        }
        if (listener) {
            // The leader must go on to wake its batch whatever happens here.
            try {
                listener();
            } catch (const std::exception& error) {
                logger_.error("database %s: outbox listener failed: %s", settings_.name, std::string(error.what()));
            }
        }
    }
}

std::optional<bool> HostDatabase::commitBatch(const std::vector<PendingWrite*>& batch) {
    auto connection = pool_.acquire();
    connection->execute(engine_->beginWrite());
    bool published = false;
    PendingWrite* running = nullptr;
    try {
        // No savepoint per work: works rarely fail (requests are validated before they write),
        // and two statements per work cost more than running a batch again now and then.
        for (PendingWrite* write : batch) {
            if (write->error) {
                continue;
            }
            running = write;
            HostTransaction tx(*connection, *engine_, write->scope);
            (*write->work)(tx);
            published = published || tx.published();
        }
        running = nullptr;
        connection->resetStatements();
        connection->execute("COMMIT");
    } catch (...) {
        connection->resetStatements();
        try {
            // A COMMIT that failed on a full disk has already rolled back: nothing is left to end.
            if (connection->usable() && connection->inTransaction()) {
                connection->execute("ROLLBACK");
            }
        } catch (const std::exception& rollbackError) {
            logger_.error("database %s: rollback failed: %s", settings_.name, std::string(rollbackError.what()));
        }
        if (running && !mayRunTransactionAgain(std::current_exception())) {
            // This work's own failure: its caller gets it, the rest of the batch runs again.
            running->error = std::current_exception();
            return std::nullopt;
        }
        throw;
    }
    return published;
}

void HostDatabase::migrate(const std::string& component, const std::vector<Migration>& steps) {
    for (const Migration& step : steps) {
        transact([&](Transaction& tx) {
            DatabaseConnection& connection = hostTransaction(tx).connection();
            engine_->lockMigrations(connection);
            Statement& applied =
                tx.statement("SELECT COUNT(*) FROM micro_order_migrations WHERE component = ? AND version = ?");
            applied.bind(1, component).bind(2, static_cast<std::int64_t>(step.version)).step();
            const bool done = applied.int64(0) != 0;
            // Stepped to its end: SQLite refuses to drop a table while a statement still reads.
            applied.step();
            if (done) {
                return;
            }
            for (const std::string& statement : step.statements) {
                connection.executeOnce(engine_->migrationStatement(statement));
            }
            const std::string appliedAt =
                Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::ISO8601_FRAC_FORMAT);
            tx.statement(
                  "INSERT INTO micro_order_migrations (component, version, description, applied_at)"
                  " VALUES (?, ?, ?, ?)")
                .bind(1, component)
                .bind(2, static_cast<std::int64_t>(step.version))
                .bind(3, step.description)
                .bind(4, appliedAt)
                .step();
            logger_.information("database %s: migrated %s to version %d (%s)", settings_.name, component, step.version,
                                step.description);
        });
    }
}

void HostDatabase::enqueue(Transaction& tx, const OutboxRow& row) {
    HostTransaction& host = hostTransaction(tx);
    host.orderOutbox(row.orderId);
    Statement& insert = host.statement(
        "INSERT INTO micro_order_outbox"
        " (message_id, exchange, routing_key, body, correlation_id, order_id, headers, created_at, origin_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, row.messageId)
        .bind(2, row.exchange)
        .bind(3, row.routingKey)
        .bind(4, row.body)
        .bind(5, row.correlationId)
        .bind(6, row.orderId)
        .bind(7, row.headers)
        .bind(8, Poco::Timestamp().epochMicroseconds())
        .bind(9, row.originMicros)
        .step();
    host.markPublished();
}

bool HostDatabase::recordInInbox(Transaction& tx, const std::string& messageId, const std::string& queue) {
    // One statement: the primary key says whether this id was handled on this queue before.
    Statement& insert = tx.statement(
        "INSERT INTO micro_order_inbox (message_id, queue, handled_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    insert.bind(1, messageId).bind(2, queue).bind(3, Poco::Timestamp().epochMicroseconds()).step();
    return insert.changes() == 1;
}

void HostDatabase::onOutboxCommit(std::function<void()> listener) {
    std::lock_guard lock(listenerMutex_);
    outboxListener_ = std::move(listener);
}

std::vector<OutboxRow> HostDatabase::pendingOutbox(std::size_t limit) {
    auto connection = pool_.acquire();
    Statement& select = connection->statement(
        "SELECT id, message_id, exchange, routing_key, body, correlation_id, order_id, headers, created_at, origin_at"
        " FROM micro_order_outbox ORDER BY id LIMIT ?");
    select.bind(1, static_cast<std::int64_t>(limit));
    std::vector<OutboxRow> rows;
    while (select.step()) {
        OutboxRow& row = rows.emplace_back();
        row.id = select.int64(0);
        row.messageId = select.text(1);
        row.exchange = select.text(2);
        row.routingKey = select.text(3);
        row.body = select.text(4);
        row.correlationId = select.text(5);
        row.orderId = select.int64(6);
        row.headers = select.text(7);
        row.createdAtMicros = select.int64(8);
        row.originMicros = select.int64(9);
    }
    return rows;
}

void HostDatabase::removeFromOutbox(const std::vector<std::int64_t>& ids) {
    if (ids.empty()) {
        return;
    }
    // The relay confirms rows of the outbox in id order and only it deletes: one ranged DELETE
    // per run of consecutive ids. On SQLite a batch is one run; on PostgreSQL ids are taken at
    // insert, not at commit, so a batch skips the ids of transactions still open (or rolled back)
    // and a row per statement would cost a round trip each (bench/README.md, PostgreSQL).
    std::vector<std::int64_t> sorted(ids);
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    transact([&](Transaction& tx) {
        for (std::size_t first = 0; first < sorted.size();) {
            std::size_t last = first;
            while (last + 1 < sorted.size() && sorted[last + 1] == sorted[last] + 1) {
                ++last;
            }
            if (first == last) {
                tx.statement("DELETE FROM micro_order_outbox WHERE id = ?").bind(1, sorted[first]).step();
            } else {
                tx.statement("DELETE FROM micro_order_outbox WHERE id BETWEEN ? AND ?")
                    .bind(1, sorted[first])
                    .bind(2, sorted[last])
                    .step();
            }
            first = last + 1;
        }
    });
}

int HostDatabase::pruneInbox(std::int64_t beforeMicros) {
    int removed = 0;
    transact([&](Transaction& tx) {
        Statement& remove = tx.statement("DELETE FROM micro_order_inbox WHERE handled_at < ?");
        remove.bind(1, beforeMicros).step();
        removed = remove.changes();
    });
    return removed;
}

int HostDatabase::pruneInboxIfDue(std::chrono::steady_clock::duration interval) {
    const auto now = std::chrono::steady_clock::now();
    if (settings_.inboxRetentionHours == 0 || now < nextPrune_) {
        return 0;
    }
    nextPrune_ = now + interval;
    const std::int64_t retentionMicros = static_cast<std::int64_t>(settings_.inboxRetentionHours) * 3600 * 1000000;
    const int removed = pruneInbox(Poco::Timestamp().epochMicroseconds() - retentionMicros);
    if (removed > 0) {
        logger_.information("database %s: forgot %d inbox entries older than %d hours", settings_.name, removed,
                            settings_.inboxRetentionHours);
    }
    return removed;
}

std::optional<std::string> HostDatabase::unusableReason() {
    if (health_.probeDue()) {
        // One small write in the file: it commits (and clears the problem) once the disk has room.
        try {
            transact([](Transaction& tx) {
                tx.statement(
                      "INSERT INTO micro_order_inbox (message_id, queue, handled_at)"
                      " VALUES ('micro-order:write-probe', '', ?)"
                      " ON CONFLICT (message_id, queue) DO UPDATE SET handled_at = excluded.handled_at")
                    .bind(1, Poco::Timestamp().epochMicroseconds())
                    .step();
            });
        } catch (const std::exception&) {
            // Still failing: problem() says why.
        }
    }
    return health_.problem();
}

void HostDatabase::checkpoint() {
    auto connection = pool_.acquire();
    engine_->checkpoint(*connection);
}

std::pair<std::int64_t, std::int64_t> HostDatabase::outboxBacklog() {
    auto connection = pool_.acquire();
    Statement& select = connection->statement("SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM micro_order_outbox");
    select.step();
    return {select.int64(0), select.int64(1)};
}

}  // namespace micro_order::host
