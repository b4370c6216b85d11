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
#include <Poco/UUIDGenerator.h>

#include <chrono>
#include <mutex>
#include <sstream>
#include <thread>

using namespace Poco::Data::Keywords;

namespace micro_order::host {
namespace {

void registerSqliteConnectorOnce() {
    // Registration is process-wide and ref-counted; doing it once keeps it balanced.
    static std::once_flag once;
    std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

/// Sets up each pooled connection once, when the pool opens it: PRAGMAs are per connection.
class ConfiguredSessionPool final : public Poco::Data::SessionPool {
public:
    ConfiguredSessionPool(const DatabaseSettings& settings)
        : Poco::Data::SessionPool(Poco::Data::SQLite::Connector::KEY, settings.path, 1, settings.poolSize, 300),
          busyTimeoutMs_(settings.busyTimeoutMs),
          synchronous_(settings.synchronous) {}

protected:
    void customizeSession(Poco::Data::Session& session) override {
        session << "PRAGMA busy_timeout = " + std::to_string(busyTimeoutMs_), now;
        session << "PRAGMA synchronous = " + synchronous_, now;
        session << "PRAGMA foreign_keys = ON", now;
    }

private:
    int busyTimeoutMs_;
    std::string synchronous_;
};

/// Poco's pool throws at once when every session is in use, but the host runs more threads than
/// sessions (HTTP workers, consumers, relays): wait for one to come back, up to the busy timeout,
/// as SQLite itself waits for a lock.
Poco::Data::Session takeSession(Poco::Data::SessionPool& pool, int busyTimeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busyTimeoutMs);
    for (;;) {
        try {
            return pool.get();
        } catch (const Poco::Data::SessionPoolExhaustedException&) {
            if (std::chrono::steady_clock::now() >= deadline) {
                throw;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
}

const std::vector<Migration>& hostMigrations() {
    static const std::vector<Migration> steps{
        {1, "transactional outbox and consumer inbox",
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
        {2, "outbox rows remember when their workflow began",
            {"ALTER TABLE micro_order_outbox ADD COLUMN origin_at BIGINT NOT NULL DEFAULT 0"}},
    };
    return steps;
}

std::string newUuid() {
    return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

class SqliteTransaction final : public Transaction {
public:
    SqliteTransaction(Poco::Data::Session& session, const MessageScope* scope) : session_(session), scope_(scope) {}

    Poco::Data::Session& session() override { return session_; }

    void publish(const OutgoingMessage& message) override {
        OutboxRow row;
        row.messageId = newUuid();
        row.exchange = message.exchange;
        row.routingKey = message.routingKey;
        row.body = message.body;
        row.correlationId = !message.correlationId.empty() ? message.correlationId
                            : scope_ && !scope_->correlationId.empty() ? scope_->correlationId
                                                                        : newUuid();
        row.orderId = message.orderId != 0 ? message.orderId : scope_ ? scope_->orderId : 0;
        row.originMicros = scope_ && scope_->originMicros ? scope_->originMicros : Poco::Timestamp().epochMicroseconds();
        SqliteDatabase::enqueue(*this, row);
    }

    void markPublished() { published_ = true; }
    bool published() const { return published_; }

private:
    Poco::Data::Session& session_;
    const MessageScope* scope_;
    bool published_ = false;
};

}  // namespace

bool isTransientDatabaseError(const std::exception& error) {
    return dynamic_cast<const Poco::Data::SQLite::DBLockedException*>(&error) ||
           dynamic_cast<const Poco::Data::SQLite::TableLockedException*>(&error) ||
           dynamic_cast<const Poco::Data::SQLite::IOErrorException*>(&error) ||
           dynamic_cast<const Poco::Data::SQLite::DatabaseFullException*>(&error) ||
           dynamic_cast<const Poco::Data::SQLite::CantOpenDBFileException*>(&error);
}

SqliteDatabase::SqliteDatabase(const DatabaseSettings& settings, Poco::Logger& logger)
    : settings_(settings), logger_(logger) {
    registerSqliteConnectorOnce();
    Poco::File(Poco::Path(settings.path).parent()).createDirectories();
    pool_ = std::make_unique<ConfiguredSessionPool>(settings_);
    {
        Poco::Data::Session session = pool_->get();
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

SqliteDatabase::~SqliteDatabase() {
    pool_->shutdown();
}

Poco::Data::Session SqliteDatabase::session() {
    return takeSession(*pool_, settings_.busyTimeoutMs);
}

void SqliteDatabase::transact(const std::function<void(Transaction&)>& work) {
    transactWithScope(work, nullptr);
}

void SqliteDatabase::transact(const std::function<void(Transaction&)>& work, const MessageScope& scope) {
    transactWithScope(work, &scope);
}

void SqliteDatabase::transactWithScope(const std::function<void(Transaction&)>& work, const MessageScope* scope) {
    // BEGIN IMMEDIATE takes the write lock up front: a deferred transaction that reads, then
    // writes, fails with "database is locked" under concurrency whatever the busy timeout.
    constexpr int kAttempts = 5;
    for (int attempt = 1;; ++attempt) {
        Poco::Data::Session session = takeSession(*pool_, settings_.busyTimeoutMs);
        SqliteTransaction tx(session, scope);
        try {
            session << "BEGIN IMMEDIATE", now;
        } catch (const Poco::Exception& error) {
            if (attempt < kAttempts && isTransientDatabaseError(error)) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
                continue;
            }
            throw;
        }
        try {
            work(tx);
            session << "COMMIT", now;
        } catch (const std::exception& error) {
            try {
                session << "ROLLBACK", now;
            } catch (const std::exception& rollbackError) {
                logger_.error("database %s: rollback failed: %s", settings_.name, std::string(rollbackError.what()));
            }
            if (attempt < kAttempts && isTransientDatabaseError(error)) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
                continue;
            }
            throw;
        }
        if (tx.published()) {
            std::function<void()> listener;
            {
                std::lock_guard lock(listenerMutex_);
                listener = outboxListener_;
            }
            if (listener) {
                listener();
            }
        }
        return;
    }
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
    OutboxRow copy = row;
    copy.createdAtMicros = Poco::Timestamp().epochMicroseconds();
    tx.session() << "INSERT INTO micro_order_outbox"
                    " (message_id, exchange, routing_key, body, correlation_id, order_id, headers, created_at, origin_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        use(copy.messageId), use(copy.exchange), use(copy.routingKey), use(copy.body), use(copy.correlationId),
        use(copy.orderId), use(copy.headers), use(copy.createdAtMicros), use(copy.originMicros), now;
    if (auto* sqliteTx = dynamic_cast<SqliteTransaction*>(&tx)) {
        sqliteTx->markPublished();
    }
}

bool SqliteDatabase::recordInInbox(Transaction& tx, const std::string& messageId, const std::string& queue) {
    int seen = 0;
    std::string id = messageId;
    std::string queueName = queue;
    tx.session() << "SELECT COUNT(*) FROM micro_order_inbox WHERE message_id = ? AND queue = ?", into(seen), use(id),
        use(queueName), now;
    if (seen) {
        return false;
    }
    std::int64_t handledAt = Poco::Timestamp().epochMicroseconds();
    tx.session() << "INSERT INTO micro_order_inbox (message_id, queue, handled_at) VALUES (?, ?, ?)", use(id),
        use(queueName), use(handledAt), now;
    return true;
}

void SqliteDatabase::onOutboxCommit(std::function<void()> listener) {
    std::lock_guard lock(listenerMutex_);
    outboxListener_ = std::move(listener);
}

std::vector<OutboxRow> SqliteDatabase::pendingOutbox(std::size_t limit) {
    Poco::Data::Session session = takeSession(*pool_, settings_.busyTimeoutMs);
    Poco::Data::Statement select(session);
    std::vector<OutboxRow> rows;
    OutboxRow row;
    std::size_t batch = limit;
    select << "SELECT id, message_id, exchange, routing_key, body, correlation_id, order_id, headers, created_at,"
              " origin_at FROM micro_order_outbox ORDER BY id LIMIT ?",
        into(row.id), into(row.messageId), into(row.exchange), into(row.routingKey), into(row.body),
        into(row.correlationId), into(row.orderId), into(row.headers), into(row.createdAtMicros),
        into(row.originMicros), use(batch),
        range(0, 1);
    while (!select.done()) {
        if (select.execute() > 0) {
            rows.push_back(row);
        }
    }
    return rows;
}

void SqliteDatabase::removeFromOutbox(const std::vector<std::int64_t>& ids) {
    if (ids.empty()) {
        return;
    }
    transact([&](Transaction& tx) {
        std::vector<std::int64_t> batch = ids;
        tx.session() << "DELETE FROM micro_order_outbox WHERE id = ?", use(batch), now;
    });
}

std::pair<std::int64_t, std::int64_t> SqliteDatabase::outboxBacklog() {
    Poco::Data::Session session = takeSession(*pool_, settings_.busyTimeoutMs);
    std::int64_t count = 0;
    Poco::Nullable<std::int64_t> oldest;
    session << "SELECT COUNT(*), MIN(created_at) FROM micro_order_outbox", into(count), into(oldest), now;
    return {count, oldest.isNull() ? 0 : oldest.value()};
}

}  // namespace micro_order::host
