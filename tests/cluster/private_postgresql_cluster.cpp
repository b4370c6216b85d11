#include "private_postgresql_cluster.hpp"

#include <unistd.h>

#include <stdexcept>

#include "support/test_environment.hpp"
#include "support/test_vhost.hpp"

namespace micro_order::testing {
namespace {

constexpr const char* kPgBin = "/usr/lib/postgresql/15/bin";

}  // namespace

PrivatePostgresqlCluster::PrivatePostgresqlCluster()
    // Not a TempDir: as root the cluster belongs to `postgres`, which must reach the folder.
    : folder_("/tmp/" + uniqueName("micro-order-pg-private")), port_(freePort()) {
    std::string output;
    if (runShell(sourceDir() + "/scripts/test-postgresql.sh start " + folder_ + " " + std::to_string(port_), &output,
                 120) != 0) {
        throw std::runtime_error("cannot start a PostgreSQL cluster: " + output);
    }
}

PrivatePostgresqlCluster::~PrivatePostgresqlCluster() {
    try {
        runShell(sourceDir() + "/scripts/test-postgresql.sh stop " + folder_);
    } catch (const std::exception&) {
        // Best effort: the folder is named after the test's process.
    }
}

std::string PrivatePostgresqlCluster::createDatabase(const std::string& name) {
    const std::string url = "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/";
    std::string output;
    if (runShell(
            std::string(kPgBin) + "/psql -v ON_ERROR_STOP=1 -q '" + url + "postgres' -c 'CREATE DATABASE " + name + "'",
            &output) != 0) {
        throw std::runtime_error("cannot create database " + name + ": " + output);
    }
    return url + name;
}

void PrivatePostgresqlCluster::restart() {
    // As the cluster's owner (scripts/test-postgresql.sh makes it `postgres` under root); -l keeps
    // the server's output off our pipe, which would otherwise stay open as long as the server runs.
    const std::string pgCtl =
        std::string(kPgBin) + "/pg_ctl -D " + folder_ + "/data -l " + folder_ + "/server.log -m fast -w -t 60 restart";
    const std::string command =
        ::geteuid() == 0 ? "runuser -u \"$(stat -c %U " + folder_ + "/data)\" -- " + pgCtl : pgCtl;
    std::string output;
    if (runShell(command, &output, 90) != 0) {
        throw std::runtime_error("pg_ctl restart failed: " + output);
    }
}

}  // namespace micro_order::testing
