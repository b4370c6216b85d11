#pragma once

// The broker's own ceiling, with no micro-order code: persistent messages through one durable
// queue, published with batched publisher confirms on one connection and consumed with one ack
// per message on another, as the outbox relay and the consumers do.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace micro_order::bench {

struct BrokerSpec {
    std::string url = "amqp://guest:guest@127.0.0.1:5672/";
    std::string queue = "bench.ceiling";
    std::int64_t messages = 80000;
    std::size_t bodyBytes = 48;  ///< about the workflow's average body
    int confirmBatch = 256;      ///< as broker.outbox_batch
    int prefetch = 5;            ///< as the workflow consumers' prefetch
    std::chrono::seconds timeout{120};
    pid_t brokerPid = 0;  ///< for the broker's CPU time (optional)
};

/// Prints a report and one `RESULT mode=broker key=value ...` line; false on failure or timeout.
bool runBrokerCeiling(const BrokerSpec& spec, std::ostream& out);

}  // namespace micro_order::bench
