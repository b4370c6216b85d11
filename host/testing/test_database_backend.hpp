#pragma once

// Private to the testing library: what a connector gives TestDatabase. The host's headers stay
// out of the public ones, so a test includes only <micro_order/testing/...>.

#include <micro_order/testing/test_database.hpp>
#include <string>

#include "database/database_connection.hpp"

namespace micro_order::testing {

struct TestDatabase::Backend {
    virtual ~Backend() = default;
    /// The one connection every read and transaction of the test runs on.
    virtual host::DatabaseConnection& connection() = 0;
    /// "sqlite" or "postgresql".
    virtual const std::string& connector() const = 0;
    /// The statement that begins a write transaction (as the host's engine begins one).
    virtual std::string beginWrite() const = 0;
    /// A plugin's migration statement as the host's engine runs it.
    virtual std::string migrationStatement(const std::string& statement) const = 0;
    /// A query of one text parameter (the table) answering the names of its CREATE INDEX indexes.
    virtual std::string indexQuery() const = 0;
};

}  // namespace micro_order::testing
