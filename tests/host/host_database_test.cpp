// The host's databases on each connector (SQLite files and PostgreSQL databases in this run's
// throwaway cluster): the pool under concurrent writers, migrations, inbox and outbox; SQLite's own
// set-up (WAL, PRAGMAs, the version 3 rebuild); and the same through a plugin served by the host.
#include "database/host_database.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Logger.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "database/postgresql/pg_relay_lease.hpp"
#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/postgresql_test_database.hpp"
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

/// A fresh database of the connector under test, and settings to open it with.
class EveryConnector : public ::testing::TestWithParam<std::string> {
protected:
    host::DatabaseSettings settings(int poolSize = 8) {
        host::DatabaseSettings settings = settingsIn(folder_, poolSize);
        settings.connector = GetParam();
        if (GetParam() == "postgresql") {
            if (!postgresql_) {
                postgresql_.emplace();
            }
            settings.url = postgresql_->url();
        }
        return settings;
    }
    std::unique_ptr<host::HostDatabase> open(int poolSize = 8) {
        return std::make_unique<host::HostDatabase>(settings(poolSize), Poco::Logger::get("test"));
    }

    TempDir folder_;
    std::optional<PostgresqlTestDatabase> postgresql_;
};

INSTANTIATE_TEST_SUITE_P(HostDatabase, EveryConnector, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST_P(EveryConnector, ConcurrentTransactionsThroughThePoolAllCommit) {
    auto opened = open();
    host::HostDatabase& database = *opened;
    database.migrate("widgets", kWidgetSteps);

    EXPECT_EQ(writeConcurrently(database, 4, 250), "");

    EXPECT_EQ(count(database, "SELECT COUNT(*) FROM widgets"), 1000);
    EXPECT_EQ(count(database, "SELECT COUNT(DISTINCT thread * 1000 + n) FROM widgets"), 1000);
}

TEST_P(EveryConnector, MoreWritersThanPooledSessionsAllCommit) {
    auto opened = open(2);
    host::HostDatabase& database = *opened;
    database.migrate("widgets", kWidgetSteps);

    EXPECT_EQ(writeConcurrently(database, 8, 50), "");

    EXPECT_EQ(count(database, "SELECT COUNT(*) FROM widgets"), 400);
}

TEST(SqliteDatabase, JournalModeIsWal) {
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

INSTANTIATE_TEST_SUITE_P(SqliteDatabase, PooledConnections,
                         ::testing::Values(SynchronousCase{"NORMAL", 1}, SynchronousCase{"OFF", 0}),
                         [](const auto& info) { return std::string(info.param.setting); });

TEST_P(EveryConnector, MigrationsRunOnceAcrossReopens) {
    open()->migrate("widgets", kWidgetSteps);
    host::HostDatabase reopened(settings(), Poco::Logger::get("test"));

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

TEST_P(EveryConnector, NewMigrationStepRunsOnAnExistingDatabase) {
    open()->migrate("widgets", kWidgetSteps);
    host::HostDatabase reopened(settings(), Poco::Logger::get("test"));
    auto steps = kWidgetSteps;
    steps.push_back({2, "widget colour", {"ALTER TABLE widgets ADD COLUMN colour TEXT"}});

    reopened.migrate("widgets", steps);

    EXPECT_EQ(count(reopened, "SELECT COUNT(*) FROM micro_order_migrations WHERE component = 'widgets'"), 2);
    reopened.transact(
        [](Transaction& tx) { tx.statement("INSERT INTO widgets (thread, n, colour) VALUES (1, 1, 'red')").step(); });
    EXPECT_EQ(count(reopened, "SELECT COUNT(*) FROM widgets WHERE colour = 'red'"), 1);
}

TEST_P(EveryConnector, FailingTransactionRollsBackAndPropagates) {
    auto opened = open();
    host::HostDatabase& database = *opened;
    database.migrate("widgets", kWidgetSteps);

    EXPECT_THROW(database.transact([](Transaction& tx) {
        tx.statement("INSERT INTO widgets (thread, n) VALUES (1, 1)").step();
        throw std::logic_error("changed my mind");
    }),
                 std::logic_error);

    EXPECT_EQ(count(database, "SELECT COUNT(*) FROM widgets"), 0);
}

/// Through the real host: concurrent POSTs to a plugin whose handler writes in a transaction.
TEST_P(EveryConnector, ConcurrentRequestsWritingThroughTheHostAllCommit) {
    const unsigned short port = freePort();
    std::string database = yamlDatabase("echo", 2);
    if (GetParam() == "postgresql") {
        database = "  echo:\n    connector: postgresql\n    url: " + settings().url + "\n    pool_size: 2\n";
    }
    HostProcess host(yamlHeader() + "databases:\n" + database +
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

TEST_P(EveryConnector, InboxEntriesOlderThanTheRetentionAreForgotten) {
    auto configured = settings();
    configured.inboxRetentionHours = 168;
    host::HostDatabase database(configured, Poco::Logger::get("test"));
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

TEST_P(EveryConnector, OutboxIdsAreNeverReusedEvenOnceTheTableIsEmpty) {
    // Ids order the relay's work and name rows in flight: an id reused after the table emptied
    // could be confused with a row already published.
    auto opened = open();
    host::HostDatabase& database = *opened;
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

TEST_P(EveryConnector, RemovingAConfirmedBatchWithGapsKeepsTheRowsInTheGaps) {
    // On PostgreSQL a relay batch skips ids whose transactions had not committed when it read
    // the outbox: removing the batch (one range per run of consecutive ids) must leave them.
    auto opened = open();
    host::HostDatabase& database = *opened;
    for (int i = 0; i < 7; ++i) {
        database.transact([](Transaction& tx) { tx.publish(OutgoingMessage{"x", "k", "{}", "", 1}); });
    }
    const auto rows = database.pendingOutbox(10);
    ASSERT_EQ(rows.size(), 7u);
    // Two runs of two and a single row, given out of order; rows 2 and 4 (0-based) stay.
    database.removeFromOutbox({rows[6].id, rows[0].id, rows[1].id, rows[3].id, rows[5].id});
    const auto left = database.pendingOutbox(10);
    ASSERT_EQ(left.size(), 2u);
    EXPECT_EQ(left[0].id, rows[2].id);
    EXPECT_EQ(left[1].id, rows[4].id);
    database.removeFromOutbox({rows[4].id, rows[2].id});
    EXPECT_TRUE(database.pendingOutbox(10).empty());
}

TEST_P(EveryConnector, StatementsTakeQuestionMarkParametersAndAnUnboundOneIsNull) {
    auto opened = open();
    opened->migrate("widgets", kWidgetSteps);
    opened->transact([](Transaction& tx) {
        Statement& insert = tx.statement("INSERT INTO widgets (thread, n) VALUES (?, ?) RETURNING id");
        ASSERT_TRUE(insert.bind(1, std::int64_t{7}).bind(2, std::int64_t{8}).step());
        EXPECT_GT(insert.int64(0), 0);
        EXPECT_FALSE(insert.step());
        // A question mark in a string literal is text, not a parameter.
        Statement& update = tx.statement("UPDATE widgets SET n = ? WHERE thread = ? AND '?' = '?'");
        update.bind(1, std::int64_t{9}).bind(2, std::int64_t{7}).step();
        EXPECT_EQ(update.changes(), 1);
    });
    opened->read([](Connection& connection) {
        constexpr const char* kSelect = "SELECT n, 'a?b' FROM widgets WHERE thread = ?";
        Statement& select = connection.statement(kSelect);
        select.bind(1, std::int64_t{7});
        ASSERT_TRUE(select.step());
        EXPECT_EQ(select.int64(0), 9);
        EXPECT_EQ(select.text(1), "a?b");
        EXPECT_FALSE(connection.statement(kSelect).step()) << "parameter 1 unbound: NULL matches nothing";
    });
}

TEST_P(EveryConnector, HostsMigratingOneDatabaseAtOnceApplyEachStepOnce) {
    // Several processes starting together: each opens the database (the host's own steps) and
    // migrates the same component, released at the same moment.
    constexpr int kHosts = 4;
    const auto configured = settings();
    std::vector<std::string> errors(kHosts);
    {
        std::atomic<int> ready{0};
        std::vector<std::jthread> hosts;
        for (int h = 0; h < kHosts; ++h) {
            hosts.emplace_back([&, h] {
                ++ready;
                while (ready.load() < kHosts) {
                    std::this_thread::yield();
                }
                try {
                    host::HostDatabase database(configured, Poco::Logger::get("test"));
                    database.migrate("widgets", kWidgetSteps);
                } catch (const std::exception& error) {
                    errors[static_cast<std::size_t>(h)] = error.what();
                }
            });
        }
    }
    for (const auto& error : errors) {
        EXPECT_EQ(error, "");
    }
    auto database = open();
    EXPECT_EQ(count(*database, "SELECT COUNT(*) FROM micro_order_migrations WHERE component = 'widgets'"), 1);
    EXPECT_EQ(count(*database, "SELECT COUNT(*) FROM micro_order_migrations WHERE component = 'micro_order'"), 3);
}

/// Settings of a fresh PostgreSQL database of this run's cluster.
host::DatabaseSettings postgresqlSettings(const TempDir& folder, const PostgresqlTestDatabase& server, int poolSize) {
    auto settings = settingsIn(folder, poolSize);
    settings.connector = "postgresql";
    settings.url = server.url();
    return settings;
}

TEST(PostgresqlDatabase, ATransactionWhoseConnectionWasLostBeforeCommitRunsAgainOnAFreshOne) {
    TempDir folder;
    PostgresqlTestDatabase server;
    host::HostDatabase database(postgresqlSettings(folder, server, 2), Poco::Logger::get("test"));
    database.migrate("widgets", kWidgetSteps);
    int runs = 0;

    database.transact([&](Transaction& tx) {
        tx.statement("INSERT INTO widgets (thread, n) VALUES (1, 1)").step();
        if (++runs == 1) {
            // This connection's server process goes away mid-transaction (a restart, a failover).
            runPostgresqlAdmin(server.name(),
                               "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                                   server.name() + "' AND pid <> pg_backend_pid()");
            tx.statement("INSERT INTO widgets (thread, n) VALUES (1, 2)").step();
        }
    });

    EXPECT_GE(runs, 2);
    EXPECT_EQ(count(database, "SELECT COUNT(*) FROM widgets"), 1);
}

TEST(PostgresqlDatabase, ADeadlockIsRetriedAndBothTransactionsCommit) {
    TempDir folder;
    PostgresqlTestDatabase server;
    host::HostDatabase database(postgresqlSettings(folder, server, 4), Poco::Logger::get("test"));
    database.migrate("widgets", kWidgetSteps);
    database.transact([](Transaction& tx) {
        tx.statement("INSERT INTO widgets (id, thread, n) VALUES (1, 0, 0), (2, 0, 0)").step();
    });
    // Two writers lock the two rows in opposite orders, each holding its first while taking the
    // second: PostgreSQL aborts one with a deadlock (40P01), which the host runs again.
    std::atomic<int> holding{0};
    std::atomic<int> runs{0};
    const auto writer = [&](std::int64_t first, std::int64_t second) {
        database.transact([&](Transaction& tx) {
            const bool firstRun = ++runs <= 2;
            tx.statement("UPDATE widgets SET n = n + 1 WHERE id = ?").bind(1, first).step();
            if (firstRun) {
                ++holding;
                while (holding.load() < 2) {
                    std::this_thread::yield();
                }
            }
            tx.statement("UPDATE widgets SET n = n + 1 WHERE id = ?").bind(1, second).step();
        });
    };
    {
        std::jthread a([&] { writer(1, 2); });
        std::jthread b([&] { writer(2, 1); });
    }

    EXPECT_GE(runs.load(), 3) << "one of them ran again";
    EXPECT_EQ(count(database, "SELECT SUM(n) FROM widgets"), 4);
}

TEST(PostgresqlDatabase, TheOutboxRowsOfOneOrderLeaveInTheOrderTheirTransactionsCommitted) {
    TempDir folder;
    PostgresqlTestDatabase server;
    host::HostDatabase database(postgresqlSettings(folder, server, 4), Poco::Logger::get("test"));
    const auto message = [](std::string body, std::int64_t order) {
        OutgoingMessage out;
        out.exchange = "orders";
        out.routingKey = "orders.update";
        out.body = std::move(body);
        out.orderId = order;
        return out;
    };
    std::mutex mutex;
    std::vector<std::string> committed;  // bodies in the order their transactions returned
    const auto done = [&](const std::string& body) {
        std::lock_guard lock(mutex);
        committed.push_back(body);
    };
    std::atomic<bool> firstInserted{false};
    std::atomic<bool> secondStarted{false};
    {
        // `first` inserts its row of order 7 and then takes its time to commit; `second` inserts
        // a row of order 7 meanwhile. Ids come from a sequence at insert, so without the order's
        // lock `second` would get the larger id and commit first: id order would not be commit
        // order. `other` (order 8) is not held up by order 7's lock.
        std::jthread first([&] {
            database.transact([&](Transaction& tx) {
                tx.publish(message("first", 7));
                firstInserted = true;
                while (!secondStarted) {
                    std::this_thread::yield();
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
            });
            done("first");
        });
        std::jthread second([&] {
            while (!firstInserted) {
                std::this_thread::yield();
            }
            database.transact([&](Transaction& tx) {
                secondStarted = true;
                tx.publish(message("second", 7));
            });
            done("second");
        });
        std::jthread other([&] {
            while (!secondStarted) {
                std::this_thread::yield();
            }
            database.transact([&](Transaction& tx) { tx.publish(message("other", 8)); });
            done("other");
        });
    }

    ASSERT_EQ(committed.size(), 3u);
    EXPECT_EQ(committed[0], "other") << "another order's transaction does not wait";
    EXPECT_EQ(std::vector<std::string>(committed.begin() + 1, committed.end()),
              (std::vector<std::string>{"first", "second"}));
    std::vector<std::string> sent;
    for (const auto& row : database.pendingOutbox(10)) {
        if (row.orderId == 7) {
            sent.push_back(row.body);
        }
    }
    EXPECT_EQ(sent, (std::vector<std::string>{"first", "second"})) << "the relay sends order 7 in commit order";
}

TEST(PostgresqlDatabase, ItsSessionsAskTheServerToNoticeADeadClientWithinSeconds) {
    // A host whose machine vanished sends nothing: only the server's keepalives end its session
    // and free its relay lease; the server's default waits two hours.
    TempDir folder;
    PostgresqlTestDatabase server;
    auto settings = postgresqlSettings(folder, server, 1);
    settings.statementTimeoutMs = 1234;
    host::HostDatabase database(settings, Poco::Logger::get("test"));
    database.read([](Connection& connection) {
        Statement& show = connection.statement(
            "SELECT current_setting('tcp_keepalives_idle'), current_setting('tcp_keepalives_interval'),"
            " current_setting('tcp_keepalives_count'), current_setting('statement_timeout')");
        ASSERT_TRUE(show.step());
        EXPECT_EQ(show.text(0), "5");
        EXPECT_EQ(show.text(1), "1");
        EXPECT_EQ(show.text(2), "3");
        EXPECT_EQ(show.text(3), "1234ms");
    });
}

TEST(PostgresqlDatabase, OneHostHoldsTheRelayLeaseAndAnotherTakesItOverWhenItsSessionDies) {
    TempDir folder;
    PostgresqlTestDatabase server;
    host::HostDatabase first(postgresqlSettings(folder, server, 2), Poco::Logger::get("test"));
    host::HostDatabase second(postgresqlSettings(folder, server, 2), Poco::Logger::get("test"));
    EXPECT_TRUE(first.shared());

    ASSERT_TRUE(first.holdsRelayLease());
    EXPECT_FALSE(second.holdsRelayLease()) << "exactly one relay at a time";
    EXPECT_TRUE(first.holdsRelayLease()) << "the holder keeps it";

    // The holder's session ends as when its process is killed: the server frees the lock.
    const auto killed = std::chrono::steady_clock::now();
    runPostgresqlAdmin(server.name(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                                          server.name() + "' AND pid <> pg_backend_pid()" +
                                          " AND query LIKE '%pg_locks%'");
    const auto deadline = killed + std::chrono::seconds(5);
    while (!second.holdsRelayLease() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the relay's standby poll
    }
    const auto tookOver = std::chrono::steady_clock::now();
    EXPECT_LT(tookOver, deadline) << "the standby took the lease over";
    std::cout << "relay lease take-over: "
              << std::chrono::duration_cast<std::chrono::milliseconds>(tookOver - killed).count() << " ms\n";
    EXPECT_FALSE(first.holdsRelayLease()) << "the fence: the old holder sees it lost the lease";
}

TEST(PostgresqlDatabase, ARelayLeaseTellsAnUnreachableDatabaseFromALeaseHeldElsewhere) {
    TempDir folder;
    PostgresqlTestDatabase server;
    host::PgRelayLease holder(postgresqlSettings(folder, server, 1));
    ASSERT_TRUE(holder.hold());
    EXPECT_EQ(holder.unreachable(), "");

    host::PgRelayLease standby(postgresqlSettings(folder, server, 1));
    EXPECT_FALSE(standby.hold());
    EXPECT_EQ(standby.unreachable(), "") << "it asked: another session holds the lease";

    auto nowhere = postgresqlSettings(folder, server, 1);
    nowhere.url = "postgresql://postgres@127.0.0.1:1/none?connect_timeout=2";
    host::PgRelayLease cutOff(nowhere);
    EXPECT_FALSE(cutOff.hold());
    EXPECT_NE(cutOff.unreachable().find("cannot connect"), std::string::npos) << cutOff.unreachable();
}

TEST(SqliteDatabase, AVersion2FileKeepsItsInboxAndOutboxThroughTheVersion3Rebuild) {
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
