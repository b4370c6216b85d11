#include "micro_order/testing/pg_test_database.hpp"

#include <cstdlib>
#include <stdexcept>

#include "database/postgresql/pg_connection.hpp"
#include "database/postgresql/sql_placeholders.hpp"
#include "random_uuid.hpp"
#include "test_database_backend.hpp"

namespace micro_order::testing {
namespace {

std::string newSchemaName() {
    std::string id = host::newRandomUuid();
    for (char& c : id) {
        if (c == '-') {
            c = '_';
        }
    }
    return "mo_unit_" + id;
}

host::DatabaseSettings settings() {
    host::DatabaseSettings settings;
    settings.name = "test";
    settings.connector = "postgresql";
    settings.url = testPostgresqlUrl();
    return settings;
}

/// A schema of its own in the database the cluster's URL names, first on the connection's search
/// path: unqualified names (the plugin's tables, sequences and indexes) live there. A schema
/// costs a few milliseconds where CREATE DATABASE costs about 100 (it copies a template), and
/// each test is a process of its own.
class PgBackend final : public TestDatabase::Backend {
public:
    explicit PgBackend(const std::string& schema) : connection_(settings()), schema_(schema) {
        connection_.execute("CREATE SCHEMA " + schema_);
        connection_.execute("SET search_path TO " + schema_);
    }
    ~PgBackend() override {
        try {
            connection_.resetStatements();
            if (connection_.inTransaction()) {
                connection_.execute("ROLLBACK");
            }
            connection_.execute("DROP SCHEMA " + schema_ + " CASCADE");
        } catch (const std::exception&) {
            // The throwaway cluster goes away with the run anyway.
        }
    }

    host::DatabaseConnection& connection() override { return connection_; }
    const std::string& connector() const override {
        static const std::string name = "postgresql";
        return name;
    }
    std::string beginWrite() const override { return "BEGIN"; }
    std::string migrationStatement(const std::string& statement) const override {
        return host::postgresqlMigrationStatement(statement);
    }
    std::string indexQuery() const override {
        // Leaves out the indexes that back a PRIMARY KEY or UNIQUE constraint, as SQLite's
        // automatic ones are left out.
        return "SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename = ?"
               " AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
               " WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)"
               " ORDER BY i.indexname";
    }

private:
    host::PgConnection connection_;
    std::string schema_;
};

}  // namespace

const std::string& testPostgresqlUrl() {
    static const std::string url = [] {
        const char* value = std::getenv("MICRO_ORDER_TEST_POSTGRESQL_URL");
        if (!value || !*value) {
            throw std::runtime_error(
                "MICRO_ORDER_TEST_POSTGRESQL_URL is not set: run the test through ctest (fixture postgresql)");
        }
        return std::string(value);
    }();
    return url;
}

PgTestDatabase::PgTestDatabase() : PgTestDatabase(newSchemaName()) {}

PgTestDatabase::PgTestDatabase(std::string schema)
    : TestDatabase(std::make_unique<PgBackend>(schema)), schema_(std::move(schema)) {}

}  // namespace micro_order::testing
