#include "rest/testing/sqlite_test_database.hpp"

#include <Poco/Data/SQLite/Connector.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>

namespace micro_order::rest::testing {

using Poco::Data::Keywords::now;

void registerSqliteConnector() {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

void applyMigrations(Poco::Data::Session& session, const std::vector<Migration>& steps) {
    for (const auto& step : steps) {
        for (const auto& statement : step.statements) {
            session << statement, now;
        }
    }
}

TempSqliteFile::TempSqliteFile() {
    registerSqliteConnector();
    auto pattern = (std::filesystem::temp_directory_path() / "micro-order-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    folder_ = pattern;
    path_ = (folder_ / "test.sqlite3").string();
}

TempSqliteFile::~TempSqliteFile() {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
}

Poco::Data::Session TempSqliteFile::open() const { return Poco::Data::Session("SQLite", path_); }

namespace {

class FakeTransaction : public Transaction {
public:
    FakeTransaction(Poco::Data::Session& session, bool failPublishing)
        : session_(session), failPublishing_(failPublishing) {}

    Poco::Data::Session& session() override { return session_; }
    void publish(const OutgoingMessage& message) override {
        if (failPublishing_) {
            throw std::runtime_error("publish failed (test)");
        }
        pending_.push_back(message);
    }
    std::vector<OutgoingMessage>& pending() { return pending_; }

private:
    Poco::Data::Session& session_;
    bool failPublishing_;
    std::vector<OutgoingMessage> pending_;
};

}  // namespace

FakeDatabase::FakeDatabase() : session_(file_.open()) {}

void FakeDatabase::transact(const std::function<void(Transaction&)>& work) {
    FakeTransaction transaction(session_, failPublishing_);
    session_ << "BEGIN IMMEDIATE", now;
    try {
        work(transaction);
        session_ << "COMMIT", now;
    } catch (...) {
        session_ << "ROLLBACK", now;
        throw;
    }
    published_.insert(published_.end(), transaction.pending().begin(), transaction.pending().end());
}

void FakeDatabase::migrate(const std::string& component, const std::vector<Migration>& steps) {
    migrated_.push_back(component);
    applyMigrations(session_, steps);
}

}  // namespace micro_order::rest::testing
