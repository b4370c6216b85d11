#include "micro_order/testing/sqlite_test_database.hpp"

#include <Poco/Data/SQLite/Connector.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "database/sqlite/sqlite_connection.hpp"

namespace micro_order::testing {

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

class TestTransaction : public Transaction {
public:
    TestTransaction(host::SqliteConnection& connection, bool failPublishing)
        : connection_(connection), failPublishing_(failPublishing) {}

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

host::DatabaseSettings settingsFor(const std::string& path) {
    host::DatabaseSettings settings;
    settings.name = "test";
    settings.path = path;
    return settings;
}

}  // namespace

struct SqliteTestDatabase::State {
    explicit State(const std::string& path) : connection(settingsFor(path)) {}
    host::SqliteConnection connection;
};

SqliteTestDatabase::SqliteTestDatabase() : state_(std::make_unique<State>(file_.path())) {}

SqliteTestDatabase::~SqliteTestDatabase() = default;

Poco::Data::Session SqliteTestDatabase::session() { return state_->connection.session(); }

void SqliteTestDatabase::read(const std::function<void(Connection&)>& work) {
    host::SqliteConnection& connection = state_->connection;
    try {
        work(connection);
    } catch (...) {
        connection.resetStatements();
        throw;
    }
    connection.resetStatements();
}

void SqliteTestDatabase::transact(const std::function<void(Transaction&)>& work) {
    // The host runs a work again when another work of its batch failed or the file was busy:
    // a first run that is thrown away makes a work that is not safe to repeat fail here.
    runTransaction(work, false);
    runTransaction(work, true);
}

void SqliteTestDatabase::runTransaction(const std::function<void(Transaction&)>& work, bool commit) {
    host::SqliteConnection& connection = state_->connection;
    TestTransaction transaction(connection, failPublishing_);
    connection.execute("BEGIN IMMEDIATE");
    try {
        work(transaction);
    } catch (...) {
        connection.resetStatements();
        connection.execute("ROLLBACK");
        throw;
    }
    connection.resetStatements();
    if (!commit) {
        connection.execute("ROLLBACK");
        return;
    }
    connection.execute("COMMIT");
    published_.insert(published_.end(), transaction.pending().begin(), transaction.pending().end());
}

void SqliteTestDatabase::migrate(const std::string& component, const std::vector<Migration>& steps) {
    migrated_.push_back(component);
    Poco::Data::Session session = state_->connection.session();
    applyMigrations(session, steps);
}

}  // namespace micro_order::testing
