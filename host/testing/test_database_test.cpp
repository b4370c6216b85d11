#include "micro_order/testing/test_database.hpp"

#include <gtest/gtest.h>

#include <micro_order/testing/connector_test_database.hpp>
#include <micro_order/testing/sqlite_test_database.hpp>
#include <stdexcept>

namespace micro_order::testing {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

// The same behaviour on both connectors.
class TestDatabaseTest : public ::testing::TestWithParam<TestConnector> {
protected:
    void SetUp() override {
        database_.migrate("things", {{1,
                                      "things",
                                      {"CREATE TABLE things (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)",
                                       "CREATE INDEX things_name ON things (name)"}}});
    }

    std::vector<std::string> names() {
        std::vector<std::string> result;
        database_.read([&](Connection& connection) {
            auto& select = connection.statement("SELECT name FROM things ORDER BY id");
            while (select.step()) {
                result.push_back(select.text(0));
            }
        });
        return result;
    }

    int rows() { return static_cast<int>(names().size()); }

    static void insert(Transaction& tx, std::string_view name) {
        tx.statement("INSERT INTO things (name) VALUES (?)").bind(1, name).step();
    }

    static OutgoingMessage message(std::string body) {
        OutgoingMessage message;
        message.exchange = "things";
        message.routingKey = "things.made";
        message.body = std::move(body);
        return message;
    }

    std::unique_ptr<TestDatabase> owned_ = makeTestDatabase(GetParam());
    TestDatabase& database_ = *owned_;
};

TEST_P(TestDatabaseTest, CommittedWorkKeepsItsRowsAndMessages) {
    database_.transact([](Transaction& tx) {
        insert(tx, "a");
        tx.publish(message("a"));
    });
    EXPECT_EQ(rows(), 1);
    ASSERT_EQ(database_.published().size(), 1u);
    EXPECT_EQ(database_.published()[0].body, "a");
    EXPECT_EQ(database_.migratedComponents(), std::vector<std::string>{"things"});
}

TEST_P(TestDatabaseTest, WorkThatThrowsLeavesNoRowAndNoMessage) {
    // Thrown by the first run, as a work that always fails would be.
    EXPECT_THROW(database_.transact([](Transaction& tx) {
        insert(tx, "a");
        tx.publish(message("a"));
        throw std::runtime_error("work failed");
    }),
                 std::runtime_error);
    EXPECT_EQ(rows(), 0);
    EXPECT_TRUE(database_.published().empty());
}

TEST_P(TestDatabaseTest, FailingPublishRollsTheWorkBack) {
    database_.failPublishing();
    EXPECT_THROW(database_.transact([](Transaction& tx) {
        insert(tx, "a");
        tx.publish(message("a"));
    }),
                 std::runtime_error);
    EXPECT_EQ(rows(), 0);
}

TEST_P(TestDatabaseTest, EveryWorkRunsTwiceAndOnlyTheSecondRunCommits) {
    int runs = 0;
    database_.transact([&](Transaction& tx) {
        ++runs;
        insert(tx, "run " + std::to_string(runs));
        tx.publish(message("run " + std::to_string(runs)));
    });
    EXPECT_EQ(runs, 2);
    EXPECT_EQ(names(), std::vector<std::string>{"run 2"});
    ASSERT_EQ(database_.published().size(), 1u);
    EXPECT_EQ(database_.published()[0].body, "run 2");
}

TEST_P(TestDatabaseTest, TransactValueReturnsTheValueOfTheCommittedRun) {
    int runs = 0;
    const int value = database_.transactValue([&](Transaction&) { return ++runs; });
    EXPECT_EQ(value, 2);
}

// What the double is for: a work that changes state outside its transaction is caught.
TEST_P(TestDatabaseTest, WorkThatIsNotSafeToRepeatShowsInItsTest) {
    std::vector<std::string> sideEffects;
    database_.transact([&](Transaction& tx) {
        insert(tx, "a");
        sideEffects.push_back("a");
    });
    EXPECT_EQ(rows(), 1);
    EXPECT_EQ(sideEffects.size(), 2u);
}

TEST_P(TestDatabaseTest, ReadSeesCommittedRows) {
    database_.transact([](Transaction& tx) { insert(tx, "a"); });
    const std::string name = database_.readValue([](Connection& connection) {
        auto& select = connection.statement("SELECT name FROM things");
        select.step();
        return select.text(0);
    });
    EXPECT_EQ(name, "a");
}

TEST_P(TestDatabaseTest, ExecuteRunsAStatementOutsideTransactionsAndThrowsOnErrors) {
    database_.execute("INSERT INTO things (name) VALUES ('direct')");
    EXPECT_EQ(names(), std::vector<std::string>{"direct"});
    EXPECT_THROW(database_.execute("INSERT INTO no_such_table (name) VALUES ('x')"), std::exception);
    // The connection is still usable after the failure.
    database_.transact([](Transaction& tx) { insert(tx, "after"); });
    EXPECT_EQ(names(), (std::vector<std::string>{"direct", "after"}));
}

TEST_P(TestDatabaseTest, IndexNamesListsCreatedIndexesButNotThePrimaryKeys) {
    EXPECT_EQ(database_.indexNames("things"), std::vector<std::string>{"things_name"});
    EXPECT_EQ(database_.indexNames("no_such_table"), std::vector<std::string>{});
}

TEST_P(TestDatabaseTest, ConnectorIsTheOneAskedFor) { EXPECT_EQ(database_.connector(), testConnectorName(GetParam())); }

// Two test databases of one connector in one process do not see each other's rows.
TEST_P(TestDatabaseTest, EachDatabaseIsEmptyAndItsOwn) {
    database_.transact([](Transaction& tx) { insert(tx, "mine"); });
    const auto other = makeTestDatabase(GetParam());
    other->migrate("things", {{1, "things", {"CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)"}}});
    const int otherRows = other->readValue([](Connection& connection) {
        auto& count = connection.statement("SELECT COUNT(*) FROM things");
        count.step();
        return static_cast<int>(count.int64(0));
    });
    EXPECT_EQ(otherRows, 0);
    EXPECT_EQ(rows(), 1);
}

INSTANTIATE_TEST_SUITE_P(Connectors, TestDatabaseTest, MICRO_ORDER_TEST_CONNECTORS);

// The SQLite double's Poco session, for SQLite-only tests that set rows up directly.
TEST(SqliteTestDatabase, SessionSeesTheSameFile) {
    SqliteTestDatabase database;
    database.migrate("things", {{1, "things", {"CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)"}}});
    database.transact([](Transaction& tx) { tx.statement("INSERT INTO things (name) VALUES ('a')").step(); });
    int count = 0;
    Poco::Data::Session session = database.session();
    session << "SELECT COUNT(*) FROM things", into(count), now;
    EXPECT_EQ(count, 1);
}

}  // namespace
}  // namespace micro_order::testing
