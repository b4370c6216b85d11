#include "sqlite_database.hpp"

#include <Poco/Data/DataException.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/File.h>
#include <Poco/Nullable.h>
#include <Poco/Path.h>
#include <Poco/Timestamp.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "random_uuid.hpp"

using namespace Poco::Data::Keywords;

namespace micro_order::host {
namespace {

void registerSqliteConnectorOnce() {
    // Registration is process-wide and ref-counted; doing it once keeps it balanced.
    static std::once_flag once;
    std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

const std::vector<Migration>& hostMigrations() {
    static const std::vector<Migration> steps{
        {1,
         "transactional outbox and consumer inbox",
         {"CREATE TABLE micro_order_outbox ("
          " id INTEGER PRIMARY KEY AUTOINCREMENT,"
          " message_id VARCHAR(64) NOT NULL,"
          " exchange VARCHAR(255) NOT NULL,"
          " routing_key VARCHAR(255) NOT NULL,"
          " body TEXT NOT NULL,"
          " correlation_id VARCHAR(64) NOT NULL,"
          " order_id BIGINT NOT NULL,"
          " headers TEXT NOT NULL,"
          " created_at BIGINT NOT NULL)",
          "CREATE TABLE micro_order_inbox ("
          " message_id VARCHAR(64) NOT NULL,"
          " queue VARCHAR(255) NOT NULL,"
          " handled_at BIGINT NOT NULL,"
          " PRIMARY KEY (message_id, queue))"}},
        {2,
         "outbox rows remember when their workflow began",
         {"ALTER TABLE micro_order_outbox ADD COLUMN origin_at BIGINT NOT NULL DEFAULT 0"}},
        // The inbox takes a write per message and is all key: WITHOUT ROWID keeps one B-tree
        // instead of a table plus its primary-key index. (The outbox keeps AUTOINCREMENT: its ids
        // name messages in flight and order the relay's work, so they are never reused, not
        // even once the table is empty.)
        {3,
         "inbox without a rowid",
         {"CREATE TABLE micro_order_inbox_v3 ("
          " message_id VARCHAR(64) NOT NULL,"
          " queue VARCHAR(255) NOT NULL,"
          " handled_at BIGINT NOT NULL,"
          " PRIMARY KEY (message_id, queue)) WITHOUT ROWID",
          "INSERT INTO micro_order_inbox_v3 (message_id, queue, handled_at)"
          " SELECT message_id, queue, handled_at FROM micro_order_inbox",
          "DROP TABLE micro_order_inbox", "ALTER TABLE micro_order_inbox_v3 RENAME TO micro_order_inbox"}},
    };
    return steps;
}

class SqliteTransaction final : public Transaction {
public:
    SqliteTransaction(SqliteConnection& connection, const MessageScope* scope)
        : connection_(connection), scope_(scope) {}

    Poco::Data::Session& session() override { return connection_.session(); }
    Statement& statement(std::string_view sql) override { return connection_.statement(sql); }
    SqliteConnection& connection() { return connection_; }

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
        SqliteDatabase::enqueue(*this, row);
    }

    void markPublished() { published_ = true; }
    bool published() const { return published_; }

private:
    SqliteConnection& connection_;
    const MessageScope* scope_;
    bool published_ = false;
};

bool isTransient(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& exception) {
        return isTransientDatabaseError(exception);
    } catch (...) {
        return false;
    }
}

SqliteTransaction& sqliteTransaction(Transaction& tx) {
    auto* sqlite = dynamic_cast<SqliteTransaction*>(&tx);
    if (!sqlite) {
        throw std::logic_error("not a transaction of the host's SQLite database");
    }
    return *sqlite;
}

}  // namespace

bool isTransientDatabaseError(const std::exception& error) {
    return dynamic_cast<const Poco::Data::SQLite::DBLockedException*>(&error) ||
           dynamic_cast<const Poco::Data::SQLite::TableLockedException*>(&error) ||
           dynamic_cast<const Poco::Data::SQLite::IOErrorException*>(&error) ||
           dynamic_cast<const Poco::Data::SQLite::DatabaseFullException*>(&error) ||
           dynamic_cast<const Poco::Data::SQLite::CantOpenDBFileException*>(&error);
}

SqliteDatabase::SqliteDatabase(const DatabaseSettings& settings, Poco::Logger& logger)
    : settings_(settings), logger_(logger), pool_((registerSqliteConnectorOnce(), settings)) {
    Poco::File(Poco::Path(settings.path).parent()).createDirectories();
    {
        auto connection = pool_.acquire();
        Poco::Data::Session& session = connection->session();
        // WAL is a property of the file: readers never block the writer, and it persists.
        session << "PRAGMA journal_mode = WAL", now;
        session << "CREATE TABLE IF NOT EXISTS micro_order_migrations ("
                   " component VARCHAR(255) NOT NULL,"
                   " version INTEGER NOT NULL,"
                   " description TEXT NOT NULL,"
                   " applied_at VARCHAR(40) NOT NULL,"
                   " PRIMARY KEY (component, version))",
            now;
    }
    migrate("micro_order", hostMigrations());
}

SqliteDatabase::~SqliteDatabase() = default;

void SqliteDatabase::read(const std::function<void(Connection&)>& work) {
    auto connection = pool_.acquire();
    work(*connection);
}

void SqliteDatabase::transact(const std::function<void(Transaction&)>& work) { transactWithScope(work, nullptr); }

void SqliteDatabase::transact(const std::function<void(Transaction&)>& work, const MessageScope& scope) {
    transactWithScope(work, &scope);
}

void SqliteDatabase::transactWithScope(const std::function<void(Transaction&)>& work, const MessageScope* scope) {
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

void SqliteDatabase::handOffLead() {
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

void SqliteDatabase::runBatch(const std::vector<PendingWrite*>& batch) {
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
            if (attempt < kAttempts && isTransient(std::current_exception())) {
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

std::optional<bool> SqliteDatabase::commitBatch(const std::vector<PendingWrite*>& batch) {
    auto connection = pool_.acquire();
    // BEGIN IMMEDIATE takes SQLite's write lock up front: a deferred transaction that reads,
    // then writes, fails with "database is locked" against another process.
    connection->execute("BEGIN IMMEDIATE");
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
            SqliteTransaction tx(*connection, write->scope);
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
            if (!sqlite3_get_autocommit(connection->handle())) {
                connection->execute("ROLLBACK");
            }
        } catch (const std::exception& rollbackError) {
            logger_.error("database %s: rollback failed: %s", settings_.name, std::string(rollbackError.what()));
        }
        if (running && !isTransient(std::current_exception())) {
            // This work's own failure: its caller gets it, the rest of the batch runs again.
            running->error = std::current_exception();
            return std::nullopt;
        }
        throw;
    }
    return published;
}

void SqliteDatabase::migrate(const std::string& component, const std::vector<Migration>& steps) {
    for (const Migration& step : steps) {
        transact([&](Transaction& tx) {
            int applied = 0;
            std::string name = component;
            int version = step.version;
            tx.session() << "SELECT COUNT(*) FROM micro_order_migrations WHERE component = ? AND version = ?",
                into(applied), use(name), use(version), now;
            if (applied) {
                return;
            }
            for (const std::string& statement : step.statements) {
                tx.session() << statement, now;
            }
            std::string description = step.description;
            std::string appliedAt =
                Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::ISO8601_FRAC_FORMAT);
            tx.session() << "INSERT INTO micro_order_migrations (component, version, description, applied_at)"
                            " VALUES (?, ?, ?, ?)",
                use(name), use(version), use(description), use(appliedAt), now;
            logger_.information("database %s: migrated %s to version %d (%s)", settings_.name, component, version,
                                step.description);
        });
    }
}

void SqliteDatabase::enqueue(Transaction& tx, const OutboxRow& row) {
    SqliteTransaction& sqlite = sqliteTransaction(tx);
    Statement& insert = sqlite.statement(
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
    sqlite.markPublished();
}

bool SqliteDatabase::recordInInbox(Transaction& tx, const std::string& messageId, const std::string& queue) {
    // One statement: the primary key says whether this id was handled on this queue before.
    Statement& insert = tx.statement(
        "INSERT INTO micro_order_inbox (message_id, queue, handled_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    insert.bind(1, messageId).bind(2, queue).bind(3, Poco::Timestamp().epochMicroseconds()).step();
    return insert.changes() == 1;
}

void SqliteDatabase::onOutboxCommit(std::function<void()> listener) {
    std::lock_guard lock(listenerMutex_);
    outboxListener_ = std::move(listener);
}

std::vector<OutboxRow> SqliteDatabase::pendingOutbox(std::size_t limit) {
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

void SqliteDatabase::removeFromOutbox(const std::vector<std::int64_t>& ids) {
    if (ids.empty()) {
        return;
    }
    transact([&](Transaction& tx) {
        // The relay confirms a prefix of the outbox in id order and only it deletes: one range
        // covers the batch when the ids are contiguous.
        const auto [lowest, highest] = std::minmax_element(ids.begin(), ids.end());
        if (*highest - *lowest + 1 == static_cast<std::int64_t>(ids.size())) {
            tx.statement("DELETE FROM micro_order_outbox WHERE id BETWEEN ? AND ?")
                .bind(1, *lowest)
                .bind(2, *highest)
                .step();
            return;
        }
        for (const std::int64_t id : ids) {
            tx.statement("DELETE FROM micro_order_outbox WHERE id = ?").bind(1, id).step();
        }
    });
}

int SqliteDatabase::pruneInbox(std::int64_t beforeMicros) {
    int removed = 0;
    transact([&](Transaction& tx) {
        Statement& remove = tx.statement("DELETE FROM micro_order_inbox WHERE handled_at < ?");
        remove.bind(1, beforeMicros).step();
        removed = remove.changes();
    });
    return removed;
}

int SqliteDatabase::pruneInboxIfDue(std::chrono::steady_clock::duration interval) {
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

std::optional<std::string> SqliteDatabase::unusableReason() {
    if (health_.probeDue()) {
        // One small write in the file: it commits (and clears the problem) once the disk has room.
        try {
            transact([](Transaction& tx) {
                tx.statement(
                      "INSERT INTO micro_order_inbox (message_id, queue, handled_at)"
                      " VALUES ('micro-order:write-probe', '', ?)"
                      " ON CONFLICT DO UPDATE SET handled_at = excluded.handled_at")
                    .bind(1, Poco::Timestamp().epochMicroseconds())
                    .step();
            });
        } catch (const std::exception&) {
            // Still failing: problem() says why.
        }
    }
    return health_.problem();
}

void SqliteDatabase::checkpoint() {
    auto connection = pool_.acquire();
    connection->execute("PRAGMA wal_checkpoint(PASSIVE)");
}

std::pair<std::int64_t, std::int64_t> SqliteDatabase::outboxBacklog() {
    auto connection = pool_.acquire();
    Statement& select = connection->statement("SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM micro_order_outbox");
    select.step();
    return {select.int64(0), select.int64(1)};
}

}  // namespace micro_order::host
