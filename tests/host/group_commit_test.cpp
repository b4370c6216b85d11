// The host's write path: works of concurrent writers committed together (one failing undoes
// only itself and the others run again without it), and the statements a connection keeps.
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Logger.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "database/host_database.hpp"
#include "support/temp_dir.hpp"
#include "test_database_settings.hpp"

namespace micro_order::testing {
namespace {

struct WorkFailed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const std::vector<Migration> kWidgetSteps{
    {1, "widgets", {"CREATE TABLE widgets (id INTEGER PRIMARY KEY, label TEXT NOT NULL)"}},
};

std::int64_t scalar(Database& database, const std::string& sql) {
    return database.readValue([&](Connection& connection) {
        Statement& select = connection.statement(sql);
        EXPECT_TRUE(select.step()) << sql;
        return select.int64(0);
    });
}

void insertWidget(Transaction& tx, const std::string& label) {
    tx.statement("INSERT INTO widgets (label) VALUES (?)").bind(1, label).step();
}

/// A writer holding the database's write transaction until release(): writers arriving
/// meanwhile queue behind it and form the next batch.
class HeldTransaction {
public:
    /// Returns once the transaction is held; inserts a widget `label` in it unless empty.
    HeldTransaction(Database& database, const std::string& label)
        : thread_([this, &database, label] {
              database.transact([&](Transaction& tx) {
                  if (!label.empty()) {
                      insertWidget(tx, label);
                  }
                  std::unique_lock lock(mutex_);
                  held_ = true;
                  changed_.notify_all();
                  changed_.wait(lock, [&] { return released_; });
              });
          }) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return held_; });
    }
    ~HeldTransaction() { join(); }

    /// Lets the transaction commit and waits for its writer to return.
    void join() {
        {
            std::lock_guard lock(mutex_);
            released_ = true;
        }
        changed_.notify_all();
        if (thread_.joinable()) {
            thread_.join();
        }
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool held_ = false;
    bool released_ = false;
    std::jthread thread_;  // last: it uses the members above
};

TEST(GroupCommit, AFailingWorkUndoesOnlyItselfAndItsCallerGetsItsException) {
    TempDir folder;
    host::HostDatabase database(settingsIn(folder), Poco::Logger::get("test"));
    database.migrate("widgets", kWidgetSteps);
    constexpr int kThreads = 16;
    constexpr int kPerThread = 60;
    std::atomic<int> caught{0};
    std::atomic<int> wrongError{0};
    {
        std::vector<std::jthread> writers;
        for (int t = 0; t < kThreads; ++t) {
            writers.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    const bool fails = (t * kPerThread + i) % 7 == 0;
                    const std::string label = std::to_string(t) + "/" + std::to_string(i);
                    try {
                        database.transact([&](Transaction& tx) {
                            insertWidget(tx, label);
                            if (fails) {
                                throw WorkFailed("work " + label + " failed");
                            }
                            insertWidget(tx, label + "+");
                        });
                    } catch (const WorkFailed& error) {
                        caught += error.what() == "work " + label + " failed" ? 1 : 0;
                        wrongError += fails ? 0 : 1;
                    } catch (...) {
                        ++wrongError;
                    }
                }
            });
        }
    }
    int failing = 0;
    for (int k = 0; k < kThreads * kPerThread; ++k) {
        failing += k % 7 == 0 ? 1 : 0;
    }
    EXPECT_EQ(caught, failing);
    EXPECT_EQ(wrongError, 0);
    // Two rows for each work that succeeded, none for one that failed.
    EXPECT_EQ(scalar(database, "SELECT COUNT(*) FROM widgets"), 2 * (kThreads * kPerThread - failing));
    EXPECT_EQ(scalar(database,
                     "SELECT COUNT(*) FROM widgets WHERE label || '+' NOT IN (SELECT label FROM widgets)"
                     " AND label NOT LIKE '%+'"),
              0);
}

TEST(GroupCommit, WritersQueuedBehindABatchCommitTogetherOnOneThread) {
    TempDir folder;
    host::HostDatabase database(settingsIn(folder), Poco::Logger::get("test"));
    database.migrate("widgets", kWidgetSteps);
    HeldTransaction first(database, "first");
    // Five writers arrive while the first holds the write transaction: they queue, and the one
    // that leads next runs all of them.
    constexpr int kQueued = 5;
    std::vector<std::thread::id> ranOn(kQueued);
    std::vector<std::thread::id> calledFrom(kQueued);
    {
        std::vector<std::jthread> queued;
        for (int k = 0; k < kQueued; ++k) {
            queued.emplace_back([&, k] {
                calledFrom[static_cast<std::size_t>(k)] = std::this_thread::get_id();
                database.transact([&](Transaction& tx) {
                    ranOn[static_cast<std::size_t>(k)] = std::this_thread::get_id();
                    insertWidget(tx, "queued " + std::to_string(k));
                });
            });
        }
        // Long enough for five threads to reach the queue on a loaded machine.
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        first.join();
    }
    EXPECT_EQ(scalar(database, "SELECT COUNT(*) FROM widgets"), kQueued + 1);
    int elsewhere = 0;
    for (int k = 0; k < kQueued; ++k) {
        elsewhere += ranOn[static_cast<std::size_t>(k)] != calledFrom[static_cast<std::size_t>(k)] ? 1 : 0;
    }
    EXPECT_GE(elsewhere, 1) << "no queued work ran in another writer's batch";
    EXPECT_EQ(std::set<std::thread::id>(ranOn.begin(), ranOn.end()).size(), 1u)
        << "the queued works did not run in one batch";
}

TEST(GroupCommit, AWorkRunsAgainWhenALaterWorkOfItsBatchFailsAndReturnsWhatTheCommittedRunDid) {
    TempDir folder;
    host::HostDatabase database(settingsIn(folder), Poco::Logger::get("test"));
    database.migrate("widgets", kWidgetSteps);
    HeldTransaction first(database, "");
    // Behind the held transaction: a work that counts its runs, then one that fails. They form
    // the next batch, in that order.
    std::atomic<int> runs{0};
    int returned = 0;
    std::jthread counting([&] {
        returned = database.transactValue([&](Transaction& tx) {
            insertWidget(tx, "counted");
            return ++runs;
        });
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    bool failed = false;
    std::jthread failing([&] {
        try {
            database.transact([](Transaction& tx) {
                insertWidget(tx, "failed");
                throw WorkFailed("no");
            });
        } catch (const WorkFailed&) {
            failed = true;
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    first.join();
    counting.join();
    failing.join();

    EXPECT_TRUE(failed);
    EXPECT_EQ(runs, 2) << "the batch did not run again without the failed work";
    EXPECT_EQ(returned, 2) << "transactValue must return the committed run's value";
    EXPECT_EQ(scalar(database, "SELECT COUNT(*) FROM widgets WHERE label = 'counted'"), 1);
    EXPECT_EQ(scalar(database, "SELECT COUNT(*) FROM widgets WHERE label = 'failed'"), 0);
}

TEST(ConnectionStatements, AreReusedWithFreshBindingsAndReportChanges) {
    TempDir folder;
    host::HostDatabase database(settingsIn(folder, 1), Poco::Logger::get("test"));
    database.migrate("widgets", kWidgetSteps);
    database.transact([](Transaction& tx) {
        for (const char* label : {"a", "b", "c"}) {
            tx.statement("INSERT INTO widgets (label) VALUES (?) RETURNING id").bind(1, label).step();
        }
        Statement& update = tx.statement("UPDATE widgets SET label = label || ? WHERE id >= ?");
        update.bind(1, "!").bind(2, std::int64_t{2}).step();
        EXPECT_EQ(update.changes(), 2);
    });
    database.read([](Connection& connection) {
        Statement& first = connection.statement("SELECT label FROM widgets WHERE id = ?");
        first.bind(1, std::int64_t{3});
        ASSERT_TRUE(first.step());
        EXPECT_EQ(first.text(0), "c!");
        // The same text again: the same statement, reset, with no parameter bound (NULL).
        Statement& again = connection.statement("SELECT label FROM widgets WHERE id = ?");
        EXPECT_EQ(&again, &first);
        EXPECT_FALSE(again.step());
    });
}

TEST(ConnectionStatements, ABadStatementThrowsTheSqliteErrorNamingTheText) {
    TempDir folder;
    host::HostDatabase database(settingsIn(folder, 1), Poco::Logger::get("test"));
    try {
        database.read([](Connection& connection) { connection.statement("SELECT nope FROM nowhere"); });
        FAIL() << "no exception";
    } catch (const Poco::Data::SQLite::SQLiteException& error) {
        EXPECT_NE(error.displayText().find("nowhere"), std::string::npos) << error.displayText();
    }
    // The connection is still good afterwards.
    EXPECT_EQ(scalar(database, "SELECT 41 + 1"), 42);
}

TEST(ConnectionStatements, AHalfReadStatementDoesNotHoldBackACheckpointOnceReturned) {
    TempDir folder;
    host::HostDatabase database(settingsIn(folder, 2), Poco::Logger::get("test"));
    database.migrate("widgets", kWidgetSteps);
    database.transact([](Transaction& tx) {
        insertWidget(tx, "a");
        insertWidget(tx, "b");
    });
    std::int64_t busy = -1;
    database.read([&](Connection& first) {
        // The other connection stops after the first of two rows and goes back to the pool: had
        // its statement not been reset, it would still hold a read snapshot of the WAL.
        database.read(
            [](Connection& second) { EXPECT_TRUE(second.statement("SELECT label FROM widgets ORDER BY id").step()); });
        first.statement("INSERT INTO widgets (label) VALUES ('c')").step();
        // TRUNCATE needs every reader out of the WAL; column 0 is 1 when one was still in it.
        Statement& checkpoint = first.statement("PRAGMA wal_checkpoint(TRUNCATE)");
        ASSERT_TRUE(checkpoint.step());
        busy = checkpoint.int64(0);
    });
    EXPECT_EQ(busy, 0);
}

}  // namespace
}  // namespace micro_order::testing
