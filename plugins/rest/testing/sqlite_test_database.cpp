#include "rest/testing/sqlite_test_database.hpp"

#include <Poco/Data/SQLite/Connector.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "sqlite_connection_pool.hpp"

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

namespace {

class FakeTransaction : public Transaction {
public:
    FakeTransaction(host::SqliteConnection& connection, bool failPublishing)
        : connection_(connection), failPublishing_(failPublishing) {}

    Poco::Data::Session& session() override { return connection_.session(); }
    Statement& statement(std::string_view sql) override { return connection_.statement(sql); }
    void publish(const OutgoingMessage& message) override {
        if (failPublishing_) {
            throw std::runtime_error("publish failed (test)");
        }
        pending_.push_back(message);
    }
    std::vector<OutgoingMessage>& pending() { return pending_; }

private:
    host::SqliteConnection& connection_;
    bool failPublishing_;
    std::vector<OutgoingMessage> pending_;
};

}  // namespace

namespace {

host::DatabaseSettings settingsFor(const std::string& path) {
    host::DatabaseSettings settings;
    settings.name = "test";
    settings.path = path;
    return settings;
}

}  // namespace

FakeDatabase::FakeDatabase() : connection_(std::make_unique<host::SqliteConnection>(settingsFor(file_.path()))) {}

FakeDatabase::~FakeDatabase() = default;

Poco::Data::Session FakeDatabase::session() { return connection_->session(); }

void FakeDatabase::read(const std::function<void(Connection&)>& work) {
    try {
        work(*connection_);
    } catch (...) {
        connection_->resetStatements();
        throw;
    }
    connection_->resetStatements();
}

void FakeDatabase::transact(const std::function<void(Transaction&)>& work) {
    FakeTransaction transaction(*connection_, failPublishing_);
    connection_->execute("BEGIN IMMEDIATE");
    try {
        work(transaction);
        connection_->resetStatements();
        connection_->execute("COMMIT");
    } catch (...) {
        connection_->resetStatements();
        connection_->execute("ROLLBACK");
        throw;
    }
    published_.insert(published_.end(), transaction.pending().begin(), transaction.pending().end());
}

void FakeDatabase::migrate(const std::string& component, const std::vector<Migration>& steps) {
    migrated_.push_back(component);
    Poco::Data::Session session = connection_->session();
    applyMigrations(session, steps);
}

}  // namespace micro_order::rest::testing
