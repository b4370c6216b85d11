#include "database/postgresql/pg_connection.hpp"

#include "database/postgresql/pg_error.hpp"
#include "database/transient_error.hpp"

namespace micro_order::host {
namespace {

void ignoreNotice(void*, const char*) {
    // NOTICEs (e.g. "relation already exists, skipping") are not errors; libpq would print them
    // to stderr.
}

}  // namespace

PgConnection::PgConnection(const DatabaseSettings& settings) {
    // Defaults first, the URL last: whatever the URL sets wins (expand_dbname).
    // keepalives* make this side notice a dead server; the server's tcp_keepalives_* (set per
    // session here, the server's default is the OS's two hours) make the server notice a dead
    // client within about 8 s and free its locks: the relay lease of a host whose machine went
    // away, an order's outbox lock held by a transaction that will never end.
    const std::string options = "-c statement_timeout=" + std::to_string(settings.statementTimeoutMs) +
                                " -c tcp_keepalives_idle=5 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=3";
    const char* keys[] = {"application_name",
                          "connect_timeout",
                          "keepalives",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "options",
                          "dbname",
                          nullptr};
    const char* values[] = {"micro-order", "5", "1", "5", "1", "3", options.c_str(), settings.url.c_str(), nullptr};
    connection_ = PQconnectdbParams(keys, values, 1);
    if (PQstatus(connection_) != CONNECTION_OK) {
        std::string message = connection_ ? PQerrorMessage(connection_) : "out of memory";
        PQfinish(connection_);
        while (!message.empty() && message.back() == '\n') {
            message.pop_back();
        }
        throw PostgresqlError("PostgreSQL: cannot connect to database " + settings.name + ": " + message, "", true);
    }
    PQsetNoticeProcessor(connection_, ignoreNotice, nullptr);
}

PgConnection::~PgConnection() {
    handedOut_.clear();
    statements_.clear();
    PQfinish(connection_);
}

PgStatement& PgConnection::statement(std::string_view sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        auto prepared = std::make_unique<PgStatement>(connection_, "mo_" + std::to_string(statements_.size() + 1), sql);
        it = statements_.emplace(std::string(sql), std::move(prepared)).first;
    } else {
        it->second->reset();
    }
    handedOut_.push_back(it->second.get());
    return *it->second;
}

void PgConnection::resetStatements() {
    for (PgStatement* statement : handedOut_) {
        statement->reset();
    }
    handedOut_.clear();
}

void PgConnection::execute(std::string_view sql) {
    PGresult* result = PQexec(connection_, std::string(sql).c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        PQclear(result);
        return;
    }
    const bool commit = sql == "COMMIT";
    try {
        if (commit && PQstatus(connection_) != CONNECTION_OK) {
            throw CommitOutcomeUnknown(
                "PostgreSQL: the connection was lost during COMMIT: it may or may not have "
                "committed (" +
                std::string(PQerrorMessage(connection_)) + ")");
        }
        throwPostgresqlError(connection_, result, sql);
    } catch (...) {
        PQclear(result);
        throw;
    }
}

bool PgConnection::inTransaction() const {
    const PGTransactionStatusType status = PQtransactionStatus(connection_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

}  // namespace micro_order::host
