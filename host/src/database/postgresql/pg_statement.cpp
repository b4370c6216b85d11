#include "database/postgresql/pg_statement.hpp"

#include <charconv>
#include <stdexcept>

#include "database/postgresql/pg_error.hpp"
#include "database/postgresql/sql_placeholders.hpp"

namespace micro_order::host {

void throwPostgresqlError(PGconn* connection, const PGresult* result, std::string_view sql) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = result ? PQresultErrorMessage(result) : "";
    if (message.empty()) {
        message = PQerrorMessage(connection);
    }
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
        message.pop_back();
    }
    const bool lost = PQstatus(connection) != CONNECTION_OK;
    throw PostgresqlError("PostgreSQL: " + message + (sql.empty() ? "" : " [" + std::string(sql) + "]"),
                          state ? state : "", lost);
}

PgStatement::PgStatement(PGconn* connection, std::string name, std::string_view sql)
    : connection_(connection), name_(std::move(name)), sql_(sql) {
    int count = 0;
    const std::string numbered = numberPlaceholders(sql, count);
    parameters_.resize(static_cast<std::size_t>(count));
    PGresult* prepared = PQprepare(connection_, name_.c_str(), numbered.c_str(), 0, nullptr);
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) {
        try {
            throwPostgresqlError(connection_, prepared, sql_);
        } catch (...) {
            PQclear(prepared);
            throw;
        }
    }
    PQclear(prepared);
}

PgStatement::~PgStatement() { clearResult(); }

std::optional<std::string>& PgStatement::parameter(int number) {
    if (number < 1 || static_cast<std::size_t>(number) > parameters_.size()) {
        throw std::out_of_range("parameter " + std::to_string(number) + " of a statement with " +
                                std::to_string(parameters_.size()) + ": " + sql_);
    }
    return parameters_[static_cast<std::size_t>(number - 1)];
}

PgStatement& PgStatement::bind(int number, std::int64_t value) {
    parameter(number) = std::to_string(value);
    return *this;
}

PgStatement& PgStatement::bind(int number, std::string_view text) {
    parameter(number) = std::string(text);
    return *this;
}

bool PgStatement::step() {
    if (!result_) {
        std::vector<const char*> values;
        values.reserve(parameters_.size());
        for (const auto& value : parameters_) {
            values.push_back(value ? value->c_str() : nullptr);
        }
        result_ = PQexecPrepared(connection_, name_.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                                 nullptr, 0);
        const ExecStatusType status = PQresultStatus(result_);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            PGresult* failed = result_;
            result_ = nullptr;
            try {
                throwPostgresqlError(connection_, failed, sql_);
            } catch (...) {
                PQclear(failed);
                throw;
            }
        }
        const char* tuples = PQcmdTuples(result_);
        changes_ = tuples && *tuples ? std::atoi(tuples) : 0;
        row_ = -1;
    }
    if (++row_ < PQntuples(result_)) {
        return true;
    }
    // Done: the next step() runs the statement again, as with SQLite.
    clearResult();
    return false;
}

std::int64_t PgStatement::int64(int column) const {
    if (!result_ || PQgetisnull(result_, row_, column)) {
        return 0;
    }
    const char* value = PQgetvalue(result_, row_, column);
    const std::string_view text(value, static_cast<std::size_t>(PQgetlength(result_, row_, column)));
    std::int64_t number = 0;
    if (text == "t" || text == "f") {
        return text == "t" ? 1 : 0;  // a boolean, as SQLite would give it
    }
    std::from_chars(text.data(), text.data() + text.size(), number);
    return number;
}

std::string PgStatement::text(int column) const {
    if (!result_ || PQgetisnull(result_, row_, column)) {
        return {};
    }
    return std::string(PQgetvalue(result_, row_, column), static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}

void PgStatement::clearResult() {
    if (result_) {
        PQclear(result_);
        result_ = nullptr;
    }
    row_ = -1;
}

void PgStatement::reset() {
    clearResult();
    for (auto& value : parameters_) {
        value.reset();
    }
}

}  // namespace micro_order::host
