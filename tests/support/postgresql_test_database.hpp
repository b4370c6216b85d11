#pragma once

// A fresh PostgreSQL database in this run's throwaway cluster (ctest fixture `postgresql`,
// scripts/test-postgresql.sh), dropped again by the destructor: tests never see each other's rows.

#include <string>

namespace micro_order::testing {

/// The superuser URL of this run's cluster (MICRO_ORDER_TEST_POSTGRESQL_URL); throws when unset.
const std::string& postgresqlAdminUrl();

class PostgresqlTestDatabase {
public:
    PostgresqlTestDatabase();
    ~PostgresqlTestDatabase();
    PostgresqlTestDatabase(const PostgresqlTestDatabase&) = delete;
    PostgresqlTestDatabase& operator=(const PostgresqlTestDatabase&) = delete;

    const std::string& name() const { return name_; }
    /// A libpq URL of this database.
    const std::string& url() const { return url_; }

private:
    std::string name_;
    std::string url_;
};

/// Runs `sql` on the cluster as its superuser, on database `database` (throws on failure).
void runPostgresqlAdmin(const std::string& database, const std::string& sql);

}  // namespace micro_order::testing
