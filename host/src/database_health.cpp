#include "database_health.hpp"

#include <Poco/Data/SQLite/SQLiteException.h>

#include "database/postgresql/pg_error.hpp"
#include "database/transient_error.hpp"

namespace micro_order::host {

std::optional<std::string> unusableDatabaseReason(const std::exception& error) {
    if (dynamic_cast<const Poco::Data::SQLite::DatabaseFullException*>(&error)) {
        return "disk full";
    }
    if (dynamic_cast<const Poco::Data::SQLite::IOErrorException*>(&error)) {
        return "I/O error";
    }
    if (dynamic_cast<const Poco::Data::SQLite::CantOpenDBFileException*>(&error)) {
        return "cannot open the file";
    }
    if (dynamic_cast<const CommitOutcomeUnknown*>(&error)) {
        return "connection lost during COMMIT";
    }
    if (const auto* pg = dynamic_cast<const PostgresqlError*>(&error); pg && pg->connectionLost()) {
        return "connection lost";
    }
    return std::nullopt;
}

void DatabaseHealth::failed(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& exception) {
        if (auto reason = unusableDatabaseReason(exception)) {
            std::lock_guard lock(mutex_);
            problem_ = std::move(reason);
        }
    } catch (...) {
        // Not the database's failure.
    }
}

void DatabaseHealth::committed() {
    std::lock_guard lock(mutex_);
    problem_.reset();
}

std::optional<std::string> DatabaseHealth::problem() const {
    std::lock_guard lock(mutex_);
    return problem_;
}

bool DatabaseHealth::probeDue() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (!problem_ || now - lastProbe_ < probeInterval_) {
        return false;
    }
    lastProbe_ = now;
    return true;
}

}  // namespace micro_order::host
