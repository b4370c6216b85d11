#include "micro_order/testing/connector_test_database.hpp"

#include <micro_order/testing/pg_test_database.hpp>
#include <micro_order/testing/sqlite_test_database.hpp>

namespace micro_order::testing {

std::unique_ptr<TestDatabase> makeTestDatabase(TestConnector connector) {
    if (connector == TestConnector::kPostgresql) {
        return std::make_unique<PgTestDatabase>();
    }
    return std::make_unique<SqliteTestDatabase>();
}

std::string testConnectorName(TestConnector connector) {
    return connector == TestConnector::kPostgresql ? "postgresql" : "sqlite";
}

}  // namespace micro_order::testing
