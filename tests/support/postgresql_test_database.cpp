#include "support/postgresql_test_database.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "random_uuid.hpp"

namespace micro_order::testing {
namespace {

std::string withDatabase(const std::string& url, const std::string& database) {
    const std::size_t slash = url.rfind('/');
    const std::size_t query = url.find('?', slash);
    return url.substr(0, slash + 1) + database + (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace

const std::string& postgresqlAdminUrl() {
    static const std::string url = [] {
        const char* value = std::getenv("MICRO_ORDER_TEST_POSTGRESQL_URL");
        if (!value || !*value) {
            throw std::runtime_error("MICRO_ORDER_TEST_POSTGRESQL_URL is not set: run the test through ctest");
        }
        return std::string(value);
    }();
    return url;
}

void runPostgresqlAdmin(const std::string& database, const std::string& sql) {
    PGconn* connection = PQconnectdb(withDatabase(postgresqlAdminUrl(), database).c_str());
    if (PQstatus(connection) != CONNECTION_OK) {
        const std::string message = PQerrorMessage(connection);
        PQfinish(connection);
        throw std::runtime_error("cannot reach the test cluster: " + message);
    }
    PGresult* result = PQexec(connection, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    const std::string message = PQresultErrorMessage(result);
    PQclear(result);
    PQfinish(connection);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw std::runtime_error(sql + ": " + message);
    }
}

PostgresqlTestDatabase::PostgresqlTestDatabase() {
    std::string id = host::newRandomUuid();
    for (char& c : id) {
        if (c == '-') {
            c = '_';
        }
    }
    name_ = "mo_test_" + id;
    url_ = withDatabase(postgresqlAdminUrl(), name_);
    // FILE_COPY: copies template1's files and checkpoints, which fsync=off makes cheap; the
    // default WAL_LOG writes every page through the WAL and took 150-240 ms a database here, 70-110
    // with FILE_COPY (the HTTP tests make three per test).
    runPostgresqlAdmin("postgres", "CREATE DATABASE " + name_ + " STRATEGY FILE_COPY");
}

PostgresqlTestDatabase::~PostgresqlTestDatabase() {
    try {
        runPostgresqlAdmin("postgres", "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
        // The cluster goes away with the run anyway.
    }
}

}  // namespace micro_order::testing
