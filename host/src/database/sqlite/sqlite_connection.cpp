#include "database/sqlite/sqlite_connection.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>

#include <mutex>

using namespace Poco::Data::Keywords;

namespace micro_order::host {
namespace {

const std::string& registeredConnector() {
    // Registration is process-wide and ref-counted; doing it once keeps it balanced.
    static std::once_flag once;
    std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
    return Poco::Data::SQLite::Connector::KEY;
}

}  // namespace

SqliteConnection::SqliteConnection(const DatabaseSettings& settings)
    : session_(registeredConnector(), settings.path), handle_(Poco::Data::SQLite::Utility::dbHandle(session_)) {
    // PRAGMAs are per connection: each one must be set up, or it runs with SQLite's defaults.
    session_ << "PRAGMA busy_timeout = " + std::to_string(settings.busyTimeoutMs), now;
    session_ << "PRAGMA synchronous = " + settings.synchronous, now;
    session_ << "PRAGMA foreign_keys = ON", now;
    // The outbox relay checkpoints the WAL in the background (SqliteEngine::checkpoint);
    // SQLite's own checkpoint, run inside whichever commit crosses the threshold, stays only
    // as a safety net far above the default 1,000 pages.
    session_ << "PRAGMA wal_autocheckpoint = 10000", now;
}

SqliteConnection::~SqliteConnection() = default;

SqliteStatement& SqliteConnection::compiled(std::string_view sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        it = statements_.emplace(std::string(sql), std::make_unique<SqliteStatement>(handle_, sql)).first;
    } else {
        it->second->reset();
    }
    return *it->second;
}

SqliteStatement& SqliteConnection::statement(std::string_view sql) {
    SqliteStatement& handedOut = compiled(sql);
    handedOut_.push_back(&handedOut);
    return handedOut;
}

void SqliteConnection::resetStatements() {
    for (SqliteStatement* statement : handedOut_) {
        statement->reset();
    }
    handedOut_.clear();
}

void SqliteConnection::execute(std::string_view sql) {
    // Reset here, so not handed out: BEGIN and COMMIT need no reset at release.
    SqliteStatement& run = compiled(sql);
    try {
        run.step();
    } catch (...) {
        run.reset();
        throw;
    }
    run.reset();
}

void SqliteConnection::executeOnce(std::string_view sql) { session_ << std::string(sql), now; }

}  // namespace micro_order::host
