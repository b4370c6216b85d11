#pragma once

// The databases of a test's hosts on either connector, and a connector-neutral way to read and
// write them behind the host's back: tests assert on rows, not on how a connector stores them.

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "support/postgresql_test_database.hpp"

namespace micro_order::testing {

/// The database connectors a test can run its hosts on.
enum class TestConnector { sqlite, postgresql };

/// "sqlite" or "postgresql": the YAML's connector name, also the suffix of parameterised tests.
std::string connectorName(TestConnector connector);
inline void PrintTo(TestConnector connector, std::ostream* out) { *out << connectorName(connector); }

/// Names a parameterised test after its connector (INSTANTIATE_TEST_SUITE_P's last argument).
struct ConnectorParamName {
    template <class ParamInfo>
    std::string operator()(const ParamInfo& info) const {
        return connectorName(info.param);
    }
};

/// Rows of a query, every value as text (NULL as an empty string), in the order returned.
using Rows = std::vector<std::vector<std::string>>;

/// The named databases of one test. With SQLite, `name` is the file `name`.sqlite3 next to the
/// host's YAML (relative, so a host restarted in the same folder finds it again); with
/// PostgreSQL, a fresh database in this run's cluster, made on first use and dropped with this
/// object, so that restarts within a test keep their rows and tests never share any.
class TestDatabases {
public:
    explicit TestDatabases(TestConnector connector) : connector_(connector) {}

    TestConnector connector() const { return connector_; }

    /// A `databases:` entry (indented for the map) for database `name`.
    std::string yaml(const std::string& name, int poolSize = 8);

    /// Runs `sql` on database `name` of the host whose folder is `folder` (SQLite needs it to find
    /// the file; PostgreSQL ignores it) and returns its rows. Throws on an error.
    Rows query(const std::string& folder, const std::string& name, const std::string& sql);
    /// query() of a statement that returns one integer (a COUNT(*), an INSERT … RETURNING id).
    long long scalar(const std::string& folder, const std::string& name, const std::string& sql);

private:
    PostgresqlTestDatabase& postgresql(const std::string& name);

    TestConnector connector_;
    std::map<std::string, std::unique_ptr<PostgresqlTestDatabase>> postgresql_;
};

/// Rows of `sql` on the SQLite file `path` (WAL: a running host may keep it open).
Rows querySqlite(const std::string& path, const std::string& sql);
/// Rows of `sql` on the PostgreSQL database of the libpq URL `url`.
Rows queryPostgresql(const std::string& url, const std::string& sql);

}  // namespace micro_order::testing
