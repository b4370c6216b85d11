// The host's SQLite databases: the pool under concurrent writers, WAL, migrations, and the same
// through a plugin served by the real host.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Logger.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "database/host_database.hpp"
#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"
#include "test_database_settings.hpp"

using namespace Poco::Data::Keywords;

namespace micro_order::testing {
namespace {

const std::vector<Migration> kWidgetSteps{
    {1, "widgets", {"CREATE TABLE widgets (id INTEGER PRIMARY KEY, thread INTEGER NOT NULL, n INTEGER NOT NULL)"}},
};

std::int64_t count(Database& database, const std::string& sql) {
    std::int64_t result = -1;
    database.read([&](Connection& connection) {
        Statement& select = connection.statement(sql);
        if (select.step()) {
            result = select.int64(0);
        }
    });
    return result;
}

/// Runs `threads` × `perThread` one-row transactions at once; returns the first error, if any.
std::string writeConcurrently(Database& database, int threads, int perThread) {
    std::vector<std::string> errors(static_cast<std::size_t>(threads));
    {
        std::vector<std::jthread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                try {
                    for (int i = 0; i < perThread; ++i) {
                        database.transact([&](Transaction& tx) {
                            tx.statement("INSERT INTO widgets (thread, n) VALUES (?, ?)")
                                .bind(1, std::int64_t{t})
                                .bind(2, std::int64_t{i})
                                .step();
                        });
                    }
                } catch (const std::exception& error) {
                    errors[static_cast<std::size_t>(t)] = error.what();
                }
            });
        }
    }
    for (const auto& error : errors) {
        if (!error.empty()) {
            return error;
        }
    }
    return {};
}

TEST(HostDatabase, ConcurrentTransactionsThroughThePoolAllCommit) {
    TempDir folder;
    host::HostDatabase database(settingsIn(folder), Poco::Logger::get("test"));
    database.migrate("widgets", kWidgetSteps);

    EXPECT_EQ(writeConcurrently(database, 4, 250), "");

    EXPECT_EQ(count(database, "SELECT COUNT(*) FROM widgets"), 1000);
    EXPECT_EQ(count(database, "SELECT COUNT(DISTINCT thread * 1000 + n) FROM widgets"), 1000);
}

TEST(HostDatabase, MoreWritersThanPooledSessionsAllCommit) {
    TempDir folder;
    host::HostDatabase database(settingsIn(folder, 2), Poco::Logger::get("test"));
    database.migrate("widgets", kWidgetSteps);

    EXPECT_EQ(writeConcurrently(database, 8, 50), "");

    EXPECT_EQ(count(database, "SELECT COUNT(*) FROM widgets"), 400);
}

TEST(HostDatabase, JournalModeIsWal) {
    TempDir folder;
    host::HostDatabase database(settingsIn(folder), Poco::Logger::get("test"));

    std::string mode;
    database.read([&](Connection& connection) {
        Statement& pragma = connection.statement("PRAGMA journal_mode");
        ASSERT_TRUE(pragma.step());
        mode = pragma.text(0);
    });

    EXPECT_EQ(mode, "wal");
}

/// What one pooled connection says about its own set-up.
struct ConnectionSetup {
    const Connection* connection = nullptr;
    int synchronous = -1;
    int busyTimeout = -1;
};

/// Reads the set-up of `count` connections held at once: each read keeps its connection while
/// the next one is taken, so a pool that opens connections lazily has to open every one of them.
void readSetUpWhileHolding(Database& database, int count, std::vector<ConnectionSetup>& setups) {
    database.read([&](Connection& connection) {
        ConnectionSetup& setup = setups.emplace_back();
        setup.connection = &connection;
        Statement& synchronous = connection.statement("PRAGMA synchronous");
        synchronous.step();
        setup.synchronous = static_cast<int>(synchronous.int64(0));
        Statement& busyTimeout = connection.statement("PRAGMA busy_timeout");
        busyTimeout.step();
        setup.busyTimeout = static_cast<int>(busyTimeout.int64(0));
        if (count > 1) {
            readSetUpWhileHolding(database, count - 1, setups);
        }
    });
}

struct SynchronousCase {
    const char* setting;
    int pragmaValue;  ///< what `PRAGMA synchronous` reads back
    friend void PrintTo(const SynchronousCase& value, std::ostream* out) { *out << value.setting; }
};

class PooledConnections : public ::testing::TestWithParam<SynchronousCase> {};

// FULL is SQLite's own default on Debian, so only the other settings show that every pooled
// connection, not just the first, was set up (the default, FULL, is checked by the config loader's
// tests as the value it yields when the key is absent).
TEST_P(PooledConnections, EveryConnectionRunsTheConfiguredSynchronousAndBusyTimeout) {
    TempDir folder;
    constexpr int kPoolSize = 4;
    auto settings = settingsIn(folder, kPoolSize);
    settings.busyTimeoutMs = 1234;
    settings.synchronous = GetParam().setting;
    host::HostDatabase database(settings, Poco::Logger::get("test"));

    std::vector<ConnectionSetup> setups;
    readSetUpWhileHolding(database, kPoolSize, setups);

    ASSERT_EQ(setups.size(), static_cast<std::size_t>(kPoolSize));
    std::set<const Connection*> distinct;
    for (const ConnectionSetup& setup : setups) {
        distinct.insert(setup.connection);
        EXPECT_EQ(setup.synchronous, GetParam().pragmaValue) << "connection " << distinct.size();
        EXPECT_EQ(setup.busyTimeout, 1234) << "connection " << distinct.size();
    }
    EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kPoolSize)) << "every connection of the pool, held at once";
}

INSTANTIATE_TEST_SUITE_P(HostDatabase, PooledConnections,
                         ::testing::Values(SynchronousCase{"NORMAL", 1}, SynchronousCase{"OFF", 0}),
                         [](const auto& info) { return std::string(info.param.setting); });

TEST(HostDatabase, MigrationsRunOnceAcrossReopens) {
    TempDir folder;
    {
        host::HostDatabase database(settingsIn(folder), Poco::Logger::get("test"));
        database.migrate("widgets", kWidgetSteps);
    }
    host::HostDatabase reopened(settingsIn(folder), Poco::Logger::get("test"));

    // Re-running step 1 would fail: the table exists.
    EXPECT_NO_THROW(reopened.migrate("widgets", kWidgetSteps));

    EXPECT_EQ(
        count(reopened, "SELECT COUNT(*) FROM micro_order_migrations WHERE component = 'widgets' AND version = 1"), 1);
    // The host's own steps (outbox and inbox, origin_at, the version 3 rebuild), each recorded once.
    EXPECT_EQ(count(reopened, "SELECT COUNT(*) FROM micro_order_migrations WHERE component = 'micro_order'"), 3);
    EXPECT_EQ(
        count(reopened, "SELECT COUNT(DISTINCT version) FROM micro_order_migrations WHERE component = 'micro_order'"),
        3);
}

TEST(HostDatabase, NewMigrationStepRunsOnAnExistingDatabase) {
    TempDir folder;
    {
        host::HostDatabase database(settingsIn(folder), Poco::Logger::get("test"));
        database.migrate("widgets", kWidgetSteps);
    }
    host::HostDatabase reopened(settingsIn(folder), Poco::Logger::get("test"));
    auto steps = kWidgetSteps;
    steps.push_back({2, "widget colour", {"ALTER TABLE widgets ADD COLUMN colour TEXT"}});

    reopened.migrate("widgets", steps);

    EXPECT_EQ(count(reopened, "SELECT COUNT(*) FROM micro_order_migrations WHERE component = 'widgets'"), 2);
    EXPECT_EQ(count(reopened, "SELECT COUNT(*) FROM pragma_table_info('widgets') WHERE name = 'colour'"), 1);
}

TEST(HostDatabase, FailingTransactionRollsBackAndPropagates) {
    TempDir folder;
    host::HostDatabase database(settingsIn(folder), Poco::Logger::get("test"));
    database.migrate("widgets", kWidgetSteps);

    EXPECT_THROW(database.transact([](Transaction& tx) {
        tx.statement("INSERT INTO widgets (thread, n) VALUES (1, 1)").step();
        throw std::logic_error("changed my mind");
    }),
                 std::logic_error);

    EXPECT_EQ(count(database, "SELECT COUNT(*) FROM widgets"), 0);
}

/// Through the real host: concurrent POSTs to a plugin whose handler writes in a transaction.
TEST(HostDatabase, ConcurrentRequestsWritingThroughTheHostAllCommit) {
    const unsigned short port = freePort();
    HostProcess host(yamlHeader() + "databases:\n" + yamlDatabase("echo", 2) +
                     "plugins:\n"
                     "  - name: echo\n    library: test_echo\n    database: echo\n"
                     "    listen: 127.0.0.1:" +
                     std::to_string(port) + "\n    config:\n      rows: true\n");
    host.waitUntilReady();
    constexpr int kThreads = 16;
    constexpr int kRequests = 25;
    std::vector<std::string> failures(kThreads);
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                try {
                    HttpClient client(port);
                    for (int i = 0; i < kRequests; ++i) {
                        const HttpResult result = client.post("/rows/", std::to_string(t * 1000 + i));
                        if (result.status != 201) {
                            failures[t] = std::to_string(result.status) + " " + result.body;
                            return;
                        }
                    }
                } catch (const std::exception& error) {
                    failures[t] = error.what();
                }
            });
        }
    }
    for (int t = 0; t < kThreads; ++t) {
        EXPECT_EQ(failures[t], "") << "client " << t << "\n" << host.log();
    }

    const HttpResult rows = httpRequest(port, "GET", "/rows/");
    ASSERT_EQ(rows.status, 200) << rows.body;
    EXPECT_EQ(jsonArray(rows.body)->size(), static_cast<std::size_t>(kThreads * kRequests));
}

TEST(HostDatabase, WritesThatPublishSucceedWhileTheBrokerIsUnreachable) {
    const unsigned short port = freePort();
    std::string header = yamlHeader();
    const std::string deadBroker = "amqp://guest:guest@127.0.0.1:" + std::to_string(freePort()) + "/";
    header.replace(header.find(amqpUrl()), amqpUrl().size(), deadBroker);
    HostProcess host(header + "databases:\n" + yamlDatabase("echo") +
                     "plugins:\n"
                     "  - name: echo\n    library: test_echo\n    database: echo\n"
                     "    listen: 127.0.0.1:" +
                     std::to_string(port) + "\n    config:\n      consume_queue: q\n      consume_exchange: x\n");
    host.waitUntilReady();

    const HttpResult posted = httpRequest(port, "POST", "/rows/", "kept");

    EXPECT_EQ(posted.status, 201) << host.log();
    EXPECT_EQ(jsonArray(httpRequest(port, "GET", "/rows/?source=http").body)->size(), 1u);
    host.terminate();
    EXPECT_EQ(host.wait(), 0) << host.log();
    host::DatabaseSettings settings;
    settings.name = "echo";
    settings.path = host.folder() + "/echo.sqlite3";
    host::HostDatabase database(settings, Poco::Logger::get("test"));
    EXPECT_EQ(count(database, "SELECT COUNT(*) FROM micro_order_outbox"), 1);  // sent once the broker is back
}

TEST(HostDatabase, PluginMigrationsRunOnceAcrossHostRestarts) {
    TempDir folder;
    const unsigned short port = freePort();
    const std::string yaml = yamlHeader() + "databases:\n" + yamlDatabase("echo") +
                             "plugins:\n"
                             "  - name: echo\n    library: test_echo\n    database: echo\n"
                             "    listen: 127.0.0.1:" +
                             std::to_string(port) + "\n    config:\n      rows: true\n";
    for (int run = 0; run < 2; ++run) {
        HostProcess host(yaml, folder.path());
        host.waitUntilReady();
        ASSERT_EQ(httpRequest(port, "POST", "/rows/", "run " + std::to_string(run)).status, 201) << host.log();
        host.terminate();
        ASSERT_EQ(host.wait(), 0) << host.log();
        const std::size_t migrated = host.log().find("migrated test_echo to version 1");
        EXPECT_EQ(migrated != std::string::npos, run == 0) << host.log();
    }

    host::DatabaseSettings settings;
    settings.name = "echo";
    settings.path = folder.file("echo.sqlite3");
    host::HostDatabase database(settings, Poco::Logger::get("test"));
    EXPECT_EQ(count(database, "SELECT COUNT(*) FROM micro_order_migrations WHERE component = 'test_echo'"), 1);
    EXPECT_EQ(count(database, "SELECT COUNT(*) FROM echo_rows"), 2);
}

TEST(HostDatabase, InboxEntriesOlderThanTheRetentionAreForgotten) {
    TempDir folder;
    auto settings = settingsIn(folder);
    settings.inboxRetentionHours = 168;
    host::HostDatabase database(settings, Poco::Logger::get("test"));
    database.transact([](Transaction& tx) {
        EXPECT_TRUE(host::HostDatabase::recordInInbox(tx, "old", "q"));
        EXPECT_TRUE(host::HostDatabase::recordInInbox(tx, "recent", "q"));
        // "old" was handled 200 hours ago.
        tx.statement("UPDATE micro_order_inbox SET handled_at = handled_at - 720000000000 WHERE message_id = 'old'")
            .step();
    });

    EXPECT_EQ(database.pruneInboxIfDue(std::chrono::minutes(10)), 1);
    EXPECT_EQ(database.pruneInboxIfDue(std::chrono::minutes(10)), 0) << "not due again for ten minutes";
    database.transact([](Transaction& tx) {
        EXPECT_TRUE(host::HostDatabase::recordInInbox(tx, "old", "q")) << "forgotten";
        EXPECT_FALSE(host::HostDatabase::recordInInbox(tx, "recent", "q")) << "still a duplicate";
    });
}

TEST(HostDatabase, OutboxIdsAreNeverReusedEvenOnceTheTableIsEmpty) {
    // Ids order the relay's work and name rows in flight: an id reused after the table emptied
    // could be confused with a row already published.
    TempDir folder;
    host::HostDatabase database(settingsIn(folder), Poco::Logger::get("test"));
    const auto publishOne = [&] {
        database.transact([](Transaction& tx) { tx.publish(OutgoingMessage{"x", "k", "{}", "", 1}); });
        const auto rows = database.pendingOutbox(10);
        EXPECT_EQ(rows.size(), 1u);
        return rows.empty() ? std::int64_t{0} : rows.back().id;
    };
    const std::int64_t first = publishOne();
    database.removeFromOutbox({first});
    const std::int64_t second = publishOne();
    EXPECT_GT(second, first);
}

TEST(HostDatabase, AVersion2FileKeepsItsInboxAndOutboxThroughTheVersion3Rebuild) {
    TempDir folder;
    const auto settings = settingsIn(folder);
    {
        // The host's tables as version 2 left them, with a handled message and a waiting row.
        Poco::Data::SQLite::Connector::registerConnector();  // ref-counted: harmless if done
        Poco::Data::Session session("SQLite", settings.path);
        session << "CREATE TABLE micro_order_migrations (component VARCHAR(255) NOT NULL, version INTEGER NOT NULL,"
                   " description TEXT NOT NULL, applied_at VARCHAR(40) NOT NULL, PRIMARY KEY (component, version))",
            now;
        session
            << "CREATE TABLE micro_order_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT,"
               " message_id VARCHAR(64) NOT NULL, exchange VARCHAR(255) NOT NULL, routing_key VARCHAR(255) NOT NULL,"
               " body TEXT NOT NULL, correlation_id VARCHAR(64) NOT NULL, order_id BIGINT NOT NULL,"
               " headers TEXT NOT NULL, created_at BIGINT NOT NULL, origin_at BIGINT NOT NULL DEFAULT 0)",
            now;
        session << "CREATE TABLE micro_order_inbox (message_id VARCHAR(64) NOT NULL, queue VARCHAR(255) NOT NULL,"
                   " handled_at BIGINT NOT NULL, PRIMARY KEY (message_id, queue))",
            now;
        session << "INSERT INTO micro_order_migrations VALUES ('micro_order', 1, 'v1', 'then'), ('micro_order', 2, "
                   "'v2', 'then')",
            now;
        session
            << "INSERT INTO micro_order_outbox VALUES (41, 'm-41', 'orders', 'orders.create', '{}', 'c', 7, '', 5, 4)",
            now;
        session << "INSERT INTO micro_order_inbox VALUES ('seen', 'orders.create', 9)", now;
    }
    host::HostDatabase database(settings, Poco::Logger::get("test"));

    EXPECT_EQ(count(database, "SELECT COUNT(*) FROM micro_order_migrations WHERE component = 'micro_order'"), 3);
    EXPECT_EQ(
        count(database,
              "SELECT COUNT(*) FROM sqlite_master WHERE name = 'micro_order_inbox' AND sql LIKE '%WITHOUT ROWID'"),
        1);
    EXPECT_EQ(count(database, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'micro_order_%_v3'"), 0);
    const auto rows = database.pendingOutbox(10);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].id, 41);
    EXPECT_EQ(rows[0].messageId, "m-41");
    EXPECT_EQ(rows[0].orderId, 7);
    EXPECT_EQ(rows[0].originMicros, 4);
    database.transact([](Transaction& tx) {
        EXPECT_FALSE(host::HostDatabase::recordInInbox(tx, "seen", "orders.create")) << "still a duplicate";
        EXPECT_TRUE(host::HostDatabase::recordInInbox(tx, "seen", "customers.request"));
    });
    // New rows continue after the kept one.
    database.transact([](Transaction& tx) { tx.publish(OutgoingMessage{"orders", "orders.create", "{}", "", 8}); });
    const auto after = database.pendingOutbox(10);
    ASSERT_EQ(after.size(), 2u);
    EXPECT_GT(after[1].id, 41);
}

}  // namespace
}  // namespace micro_order::testing
