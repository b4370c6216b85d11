#pragma once

#include <string>

namespace micro_order::testing {

/// A PostgreSQL cluster of one test's own (scripts/test-postgresql.sh on a folder and a free
/// loopback port of its own), for a test that restarts the server: the run's shared cluster
/// serves other tests at the same time. Stopped and removed by the destructor.
class PrivatePostgresqlCluster {
public:
    PrivatePostgresqlCluster();
    ~PrivatePostgresqlCluster();
    PrivatePostgresqlCluster(const PrivatePostgresqlCluster&) = delete;
    PrivatePostgresqlCluster& operator=(const PrivatePostgresqlCluster&) = delete;

    /// Creates database `name`; its libpq URL.
    std::string createDatabase(const std::string& name);
    /// `pg_ctl restart -m fast`: sessions are ended, the server stops and starts again.
    void restart();

private:
    std::string folder_;
    unsigned short port_ = 0;
};

}  // namespace micro_order::testing
