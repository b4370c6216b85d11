#pragma once

// End to end: customers, then orders from K connections, then wait until every order is SHIPPED
// or CANCELLED; throughput from the first POST to the last order's final state, and each order's
// time to its final state read back from the services' SQLite files.

#include <sys/types.h>

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

#include "http_load.hpp"

namespace micro_order::bench {

struct E2eSpec {
    std::string name = "full";  ///< a label for the RESULT line
    HttpTarget orders;
    /// Every host serving the orders service when several do (POSTs spread over them, each one's
    /// /metrics summed); empty: `orders` alone.
    std::vector<HttpTarget> ordersHosts;
    HttpTarget customers;
    int connections = 32;
    int customerCount = 1000;
    std::int64_t orderCount = 20000;
    double unknownFraction = 0.1;  ///< orders for customers that do not exist: they end CANCELLED
    double ratePerSecond = 0;      ///< 0 = as fast as the connections go
    std::chrono::seconds timeout{120};
    std::chrono::milliseconds pollInterval{50};
    /// SQLite files, read after the run for per-order times and counts (optional: without them,
    /// as on PostgreSQL, completion is polled and time to final state is the hosts' histogram).
    std::string ordersDb;
    std::string shippingsDb;
    std::string customersDb;
    std::vector<pid_t> hostPids;  ///< for CPU time and peak RSS (optional; summed)
    pid_t brokerPid = 0;          ///< for the broker's CPU time (optional)
    pid_t databasePid = 0;        ///< a database server's main process: its and its children's CPU (optional)
};

/// Runs the scenario, prints a report and one `RESULT mode=e2e key=value ...` line; false when
/// the orders did not all reach a final state in time.
bool runE2e(const E2eSpec& spec, std::ostream& out);

}  // namespace micro_order::bench
