#pragma once

// The host's PostgreSQL connection as a micro_order::Database, for unit tests of plugin code
// (the shared behaviour is TestDatabase's). Its own library, micro_order_test_database_postgresql:
// the PostgreSQL connector lives in the host's library (libpq and the rest), which a plugin
// author testing on SQLite only need not link.

#include <micro_order/testing/test_database.hpp>
#include <string>

namespace micro_order::testing {

/// The superuser URL of this run's throwaway cluster (ctest fixture `postgresql`, env
/// MICRO_ORDER_TEST_POSTGRESQL_URL); throws when unset, so a PostgreSQL test never passes
/// without PostgreSQL.
const std::string& testPostgresqlUrl();

/// TestDatabase over one real PostgreSQL connection (PgConnection: `?` parameters numbered,
/// statements prepared once) to the test cluster, in a schema of its own (first on the search
/// path, so the plugin's unqualified names land there) made by the constructor and dropped with
/// everything in it by the destructor. Transactions begin with BEGIN (READ COMMITTED), as the
/// host's; migrations are translated as the host's engine translates them.
///
/// What differs from SQLite and a test must not assume: ids come from sequences, which a
/// rolled-back run (every transact() has one) does not give back.
class PgTestDatabase : public TestDatabase {
public:
    PgTestDatabase();

    /// The schema's name (mo_unit_...).
    const std::string& schema() const { return schema_; }

private:
    explicit PgTestDatabase(std::string schema);

    std::string schema_;
};

}  // namespace micro_order::testing
