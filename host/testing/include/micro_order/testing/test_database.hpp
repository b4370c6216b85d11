#pragma once

// What the plugin-author test databases share: micro_order::Database over one real connection
// of a host connector (SQLite: sqlite_test_database.hpp; PostgreSQL: pg_test_database.hpp), with
// the checks a unit test wants. A suite written against TestDatabase runs on either connector
// (connector_test_database.hpp makes one by name). Test targets link it; a plugin module never
// does (cmake/MicroOrderBoundaries.cmake).

#include <functional>
#include <memory>
#include <micro_order/database.hpp>
#include <string>
#include <vector>

namespace micro_order::testing {

/// micro_order::Database over one real connection of a connector (the host's connection,
/// statement cache, placeholder and migration translation and all).
///
/// transact() runs every work twice, each run between the connector's BEGIN and the end of its
/// own transaction: the first run is rolled back and its messages dropped, the second commits.
/// The host may run a work more than once (another work of its batch failed, the file was busy,
/// a serialization failure), so a work that is not safe to run again fails here, in its unit
/// test, rather than in production. An exception from either run rolls that run back and
/// propagates. Messages published in a transaction are kept only if it commits, as the host's
/// outbox does. On PostgreSQL the rolled-back first run still takes sequence values, as a
/// retried transaction does in production: never expect exact ids.
class TestDatabase : public Database {
public:
    ~TestDatabase() override;
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    void read(const std::function<void(Connection&)>& work) final;
    void transact(const std::function<void(Transaction&)>& work) final;
    /// Runs each statement of each step as the host's connector would (PostgreSQL: translated
    /// per the README's "SQL for both connectors"); no version bookkeeping.
    void migrate(const std::string& component, const std::vector<Migration>& steps) final;

    /// Runs one statement outside any transaction (rows set up or broken on purpose by a test);
    /// throws the connector's error (a std::exception) when it fails.
    void execute(const std::string& sql);
    /// The names of the indexes made by CREATE INDEX on `table` (not those behind a PRIMARY KEY
    /// or UNIQUE constraint), sorted: each connector keeps them in its own catalogue.
    std::vector<std::string> indexNames(const std::string& table);
    /// "sqlite" or "postgresql".
    const std::string& connector() const;

    /// Messages of committed transactions, in publish order.
    const std::vector<OutgoingMessage>& published() const { return published_; }
    /// Components migrate() was called for, in call order.
    const std::vector<std::string>& migratedComponents() const { return migrated_; }
    /// Makes every later Transaction::publish throw, to check that work rolls back with it.
    void failPublishing() { failPublishing_ = true; }

    /// What one connector provides (defined beside each connector's test database).
    struct Backend;

protected:
    explicit TestDatabase(std::unique_ptr<Backend> backend);
    Backend& backend() { return *backend_; }
    /// Closes the connection before a subclass removes what it connected to.
    void closeConnection();

private:
    /// One run of `work` in its own transaction, committed or rolled back.
    void runTransaction(const std::function<void(Transaction&)>& work, bool commit);

    std::unique_ptr<Backend> backend_;
    std::vector<OutgoingMessage> published_;
    std::vector<std::string> migrated_;
    bool failPublishing_ = false;
};

}  // namespace micro_order::testing
