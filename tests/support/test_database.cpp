#include "support/test_database.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <stdexcept>

namespace micro_order::testing {

std::string connectorName(TestConnector connector) {
    return connector == TestConnector::postgresql ? "postgresql" : "sqlite";
}

std::string TestDatabases::yaml(const std::string& name, int poolSize) {
    const std::string pool = "    pool_size: " + std::to_string(poolSize) + "\n";
    if (connector_ == TestConnector::sqlite) {
        return "  " + name + ":\n    path: " + name + ".sqlite3\n" + pool;
    }
    return "  " + name + ":\n    connector: postgresql\n    url: \"" + postgresql(name).url() + "\"\n" + pool;
}

Rows TestDatabases::query(const std::string& folder, const std::string& name, const std::string& sql) {
    if (connector_ == TestConnector::sqlite) {
        return querySqlite(folder + "/" + name + ".sqlite3", sql);
    }
    return queryPostgresql(postgresql(name).url(), sql);
}

long long TestDatabases::scalar(const std::string& folder, const std::string& name, const std::string& sql) {
    const Rows rows = query(folder, name, sql);
    if (rows.size() != 1 || rows.front().size() != 1) {
        throw std::runtime_error(sql + ": expected one value, got " + std::to_string(rows.size()) + " rows");
    }
    return std::stoll(rows.front().front());
}

PostgresqlTestDatabase& TestDatabases::postgresql(const std::string& name) {
    auto& database = postgresql_[name];
    if (!database) {
        database = std::make_unique<PostgresqlTestDatabase>();
    }
    return *database;
}

Rows querySqlite(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    // No O_CREAT: a typo in a test's path must not make an empty database that reads as 0 rows.
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw std::runtime_error(path + ": " + message);
    }
    sqlite3_busy_timeout(db, 5000);  // the host may be writing at the moment
    sqlite3_stmt* statement = nullptr;
    Rows rows;
    int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
    while (rc == SQLITE_OK && (rc = sqlite3_step(statement)) == SQLITE_ROW) {
        auto& row = rows.emplace_back();
        for (int i = 0; i < sqlite3_column_count(statement); ++i) {
            const auto* text = sqlite3_column_text(statement, i);
            row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
        }
        rc = SQLITE_OK;
    }
    const std::string message = sqlite3_errmsg(db);
    sqlite3_finalize(statement);
    sqlite3_close(db);
    if (rc != SQLITE_DONE) {
        throw std::runtime_error(sql + ": " + message);
    }
    return rows;
}

Rows queryPostgresql(const std::string& url, const std::string& sql) {
    PGconn* connection = PQconnectdb(url.c_str());
    if (PQstatus(connection) != CONNECTION_OK) {
        const std::string message = PQerrorMessage(connection);
        PQfinish(connection);
        throw std::runtime_error("cannot reach the test database: " + message);
    }
    PGresult* result = PQexec(connection, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    Rows rows;
    if (status == PGRES_TUPLES_OK) {
        for (int r = 0; r < PQntuples(result); ++r) {
            auto& row = rows.emplace_back();
            for (int c = 0; c < PQnfields(result); ++c) {
                row.emplace_back(PQgetvalue(result, r, c));
            }
        }
    }
    const std::string message = PQresultErrorMessage(result);
    PQclear(result);
    PQfinish(connection);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw std::runtime_error(sql + ": " + message);
    }
    return rows;
}

}  // namespace micro_order::testing
