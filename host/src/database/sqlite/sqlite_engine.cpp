#include "database/sqlite/sqlite_engine.hpp"

#include <Poco/File.h>
#include <Poco/Path.h>

#include "database/sqlite/sqlite_connection.hpp"

namespace micro_order::host {

SqliteEngine::SqliteEngine(DatabaseSettings settings) : settings_(std::move(settings)) {
    Poco::File(Poco::Path(settings_.path).parent()).createDirectories();
}

std::unique_ptr<DatabaseConnection> SqliteEngine::open() { return std::make_unique<SqliteConnection>(settings_); }

void SqliteEngine::prepare(DatabaseConnection& connection) {
    // WAL is a property of the file: readers never block the writer, and it persists.
    connection.execute("PRAGMA journal_mode = WAL");
    connection.execute(kMigrationsTable);
}

const std::vector<Migration>& SqliteEngine::hostMigrations() const {
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

void SqliteEngine::checkpoint(DatabaseConnection& connection) { connection.execute("PRAGMA wal_checkpoint(PASSIVE)"); }

}  // namespace micro_order::host
