#include "micro_order/testing/sqlite_test_database.hpp"

#include <Poco/Data/SQLite/Connector.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "database/sqlite/sqlite_connection.hpp"
#include "test_database_backend.hpp"

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

host::DatabaseSettings settingsFor(const std::string& path) {
    host::DatabaseSettings settings;
    settings.name = "test";
    settings.path = path;
    return settings;
}

/// The file first, so it outlives the connection (members are destroyed in reverse order).
class SqliteBackend final : public TestDatabase::Backend {
public:
    SqliteBackend() : connection_(settingsFor(file_.path())) {}

    host::SqliteConnection& sqlite() { return connection_; }
    host::DatabaseConnection& connection() override { return connection_; }
    const std::string& connector() const override {
        static const std::string name = "sqlite";
        return name;
    }
    std::string beginWrite() const override { return "BEGIN IMMEDIATE"; }
    std::string migrationStatement(const std::string& statement) const override { return statement; }
    std::string indexQuery() const override {
        // sql IS NULL: the automatic index behind a PRIMARY KEY or UNIQUE constraint.
        return "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
               "ORDER BY name";
    }

private:
    TempSqliteFile file_;
    host::SqliteConnection connection_;
};

}  // namespace

SqliteTestDatabase::SqliteTestDatabase() : TestDatabase(std::make_unique<SqliteBackend>()) {}

Poco::Data::Session SqliteTestDatabase::session() { return static_cast<SqliteBackend&>(backend()).sqlite().session(); }

}  // namespace micro_order::testing
