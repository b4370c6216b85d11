#pragma once

// One test source, both connectors: a suite takes the connector as its parameter and asks for
// its database by name.
//
//   class OrderRepositoryTest : public ::testing::TestWithParam<TestConnector> { ...
//       std::unique_ptr<TestDatabase> owned_ = makeTestDatabase(GetParam());
//       TestDatabase& database_ = *owned_;
//   };
//   INSTANTIATE_TEST_SUITE_P(Connectors, OrderRepositoryTest, MICRO_ORDER_TEST_CONNECTORS);
//
// Register the test executable with the ctest fixture `postgresql` (its throwaway cluster).

#include <memory>
#include <micro_order/testing/test_database.hpp>
#include <ostream>
#include <string>

namespace micro_order::testing {

enum class TestConnector { kSqlite, kPostgresql };

/// A fresh, empty database of `connector` (SqliteTestDatabase or PgTestDatabase).
std::unique_ptr<TestDatabase> makeTestDatabase(TestConnector connector);

/// "sqlite" or "postgresql".
std::string testConnectorName(TestConnector connector);

/// How gtest prints the parameter (and so how ctest lists the test): by name.
inline void PrintTo(TestConnector connector, std::ostream* out) { *out << testConnectorName(connector); }

}  // namespace micro_order::testing

/// The parameter list and names of a parameterised suite (gtest is included by the test).
#define MICRO_ORDER_TEST_CONNECTORS                                        \
    ::testing::Values(::micro_order::testing::TestConnector::kSqlite,      \
                      ::micro_order::testing::TestConnector::kPostgresql), \
        [](const auto& info) { return ::micro_order::testing::testConnectorName(info.param); }
