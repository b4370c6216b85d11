#include "rest/last_insert_id.hpp"

#include <gtest/gtest.h>

#include "rest/testing/sqlite_test_database.hpp"

namespace micro_order::rest {
namespace {

using Poco::Data::Keywords::now;

TEST(LastInsertId, ReturnsTheIdOfEachInsertOnTheSession) {
    testing::TempSqliteFile file;
    auto session = file.open();
    session << "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL)", now;
    session << "INSERT INTO t (v) VALUES ('a')", now;
    EXPECT_EQ(lastInsertId(session), 1);
    session << "INSERT INTO t (v) VALUES ('b')", now;
    EXPECT_EQ(lastInsertId(session), 2);
}

}  // namespace
}  // namespace micro_order::rest
