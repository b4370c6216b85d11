#include "micro_order/testing/sqlite_test_database.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace micro_order::testing {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

class SqliteTestDatabaseTest : public ::testing::Test {
protected:
    void SetUp() override {
        database_.migrate("things", {{1, "things", {"CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)"}}});
    }

    int rows() {
        int count = 0;
        Poco::Data::Session session = database_.session();
        session << "SELECT COUNT(*) FROM things", into(count), now;
        return count;
    }

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

    SqliteTestDatabase database_;
};

TEST_F(SqliteTestDatabaseTest, CommittedWorkKeepsItsRowsAndMessages) {
    database_.transact([](Transaction& tx) {
        insert(tx, "a");
        tx.publish(message("a"));
    });
    EXPECT_EQ(rows(), 1);
    ASSERT_EQ(database_.published().size(), 1u);
    EXPECT_EQ(database_.published()[0].body, "a");
    EXPECT_EQ(database_.migratedComponents(), std::vector<std::string>{"things"});
}

TEST_F(SqliteTestDatabaseTest, WorkThatThrowsLeavesNoRowAndNoMessage) {
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

TEST_F(SqliteTestDatabaseTest, FailingPublishRollsTheWorkBack) {
    database_.failPublishing();
    EXPECT_THROW(database_.transact([](Transaction& tx) {
        insert(tx, "a");
        tx.publish(message("a"));
    }),
                 std::runtime_error);
    EXPECT_EQ(rows(), 0);
}

TEST_F(SqliteTestDatabaseTest, EveryWorkRunsTwiceAndOnlyTheSecondRunCommits) {
    int runs = 0;
    database_.transact([&](Transaction& tx) {
        ++runs;
        insert(tx, "run " + std::to_string(runs));
        tx.publish(message("run " + std::to_string(runs)));
    });
    EXPECT_EQ(runs, 2);
    const std::string name = database_.readValue([](Connection& connection) {
        auto& select = connection.statement("SELECT group_concat(name) FROM things");
        select.step();
        return select.text(0);
    });
    EXPECT_EQ(name, "run 2");
    ASSERT_EQ(database_.published().size(), 1u);
    EXPECT_EQ(database_.published()[0].body, "run 2");
}

TEST_F(SqliteTestDatabaseTest, TransactValueReturnsTheValueOfTheCommittedRun) {
    int runs = 0;
    const int value = database_.transactValue([&](Transaction&) { return ++runs; });
    EXPECT_EQ(value, 2);
}

// What the double is for: a work that changes state outside its transaction is caught.
TEST_F(SqliteTestDatabaseTest, WorkThatIsNotSafeToRepeatShowsInItsTest) {
    std::vector<std::string> sideEffects;
    database_.transact([&](Transaction& tx) {
        insert(tx, "a");
        sideEffects.push_back("a");
    });
    EXPECT_EQ(rows(), 1);
    EXPECT_EQ(sideEffects.size(), 2u);
}

TEST_F(SqliteTestDatabaseTest, ReadSeesCommittedRows) {
    database_.transact([](Transaction& tx) { insert(tx, "a"); });
    const std::string name = database_.readValue([](Connection& connection) {
        auto& select = connection.statement("SELECT name FROM things");
        select.step();
        return select.text(0);
    });
    EXPECT_EQ(name, "a");
}

}  // namespace
}  // namespace micro_order::testing
