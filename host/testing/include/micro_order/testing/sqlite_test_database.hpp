#pragma once

// The host's SQLite engine as a micro_order::Database, for unit tests of plugin code with no host
// around them (the shared behaviour is TestDatabase's). Test targets link it (library
// micro_order_test_database); a plugin module never does: the build refuses a module that
// reaches into the host (cmake/MicroOrderBoundaries.cmake).

#include <Poco/Data/Session.h>

#include <filesystem>
#include <micro_order/testing/test_database.hpp>
#include <string>
#include <vector>

namespace micro_order::testing {

/// Registers the SQLite connector, once per process (registration is ref-counted).
void registerSqliteConnector();

/// Runs every statement of `steps` on `session`, in order.
void applyMigrations(Poco::Data::Session& session, const std::vector<Migration>& steps);

/// A fresh folder under the system temporary folder holding one SQLite file; both removed by
/// the destructor.
class TempSqliteFile {
public:
    TempSqliteFile();
    ~TempSqliteFile();
    TempSqliteFile(const TempSqliteFile&) = delete;
    TempSqliteFile& operator=(const TempSqliteFile&) = delete;

    const std::string& path() const { return path_; }

private:
    std::filesystem::path folder_;
    std::string path_;
};

/// TestDatabase over one real SQLite connection of a temporary file; transactions begin with
/// BEGIN IMMEDIATE, as the host's.
class SqliteTestDatabase : public TestDatabase {
public:
    SqliteTestDatabase();

    /// The connection's session, for SQLite-only tests that set rows up directly (a suite that
    /// runs on both connectors uses execute()).
    Poco::Data::Session session();
};

}  // namespace micro_order::testing
