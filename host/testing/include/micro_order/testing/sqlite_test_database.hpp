#pragma once

// The host's SQLite engine as a micro_order::Database, for unit tests of plugin code with no host
// around them. Test targets link it (library micro_order_test_database); a plugin module never
// does: the build refuses a module that reaches into the host (cmake/MicroOrderBoundaries.cmake).

#include <Poco/Data/Session.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <micro_order/database.hpp>
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

/// micro_order::Database over one real SQLite connection of a temporary file (the host's
/// connection, statement cache and all).
///
/// transact() runs every work twice, each run between BEGIN IMMEDIATE and the end of its own
/// transaction: the first run is rolled back and its messages dropped, the second commits. The
/// host may run a work more than once (another work of its batch failed, the file was busy), so
/// a work that is not safe to run again fails here, in its unit test, rather than in production.
/// An exception from either run rolls that run back and propagates. Messages published in a
/// transaction are kept only if it commits, as the host's outbox does.
class SqliteTestDatabase : public Database {
public:
    SqliteTestDatabase();
    ~SqliteTestDatabase() override;
    SqliteTestDatabase(const SqliteTestDatabase&) = delete;
    SqliteTestDatabase& operator=(const SqliteTestDatabase&) = delete;

    void read(const std::function<void(Connection&)>& work) override;
    /// The connection's session, for tests that set rows up directly.
    Poco::Data::Session session();
    void transact(const std::function<void(Transaction&)>& work) override;
    void migrate(const std::string& component, const std::vector<Migration>& steps) override;

    /// Messages of committed transactions, in publish order.
    const std::vector<OutgoingMessage>& published() const { return published_; }
    /// Components migrate() was called for, in call order.
    const std::vector<std::string>& migratedComponents() const { return migrated_; }
    /// Makes every later Transaction::publish throw, to check that work rolls back with it.
    void failPublishing() { failPublishing_ = true; }

private:
    struct State;

    /// One run of `work` in its own transaction, committed or rolled back.
    void runTransaction(const std::function<void(Transaction&)>& work, bool commit);

    TempSqliteFile file_;
    std::unique_ptr<State> state_;
    std::vector<OutgoingMessage> published_;
    std::vector<std::string> migrated_;
    bool failPublishing_ = false;
};

}  // namespace micro_order::testing
