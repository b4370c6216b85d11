#include "database/sqlite/sqlite_statement.hpp"

#include <Poco/Data/SQLite/Utility.h>

namespace micro_order::host {

SqliteStatement::SqliteStatement(sqlite3* handle, std::string_view sql) : handle_(handle) {
    // PERSISTENT: the statement lives as long as the connection, so SQLite keeps it out of its
    // short-lived lookaside memory.
    const int rc = sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &statement_, nullptr);
    if (rc != SQLITE_OK) {
        Poco::Data::SQLite::Utility::throwException(handle_, rc, std::string(sql));
    }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

SqliteStatement& SqliteStatement::bind(int parameter, std::int64_t value) {
    sqlite3_bind_int64(statement_, parameter, value);
    return *this;
}

SqliteStatement& SqliteStatement::bind(int parameter, std::string_view text) {
    sqlite3_bind_text(statement_, parameter, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    // The Poco exception types keep busy and locked recognisable as transient.
    Poco::Data::SQLite::Utility::throwException(handle_, rc, sqlite3_sql(statement_));
    return false;
}

std::string SqliteStatement::text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))) : std::string();
}

void SqliteStatement::reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

}  // namespace micro_order::host
