#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "amqp_connection.hpp"
#include "broker_topology.hpp"
#include "database/host_database.hpp"
#include "host_config.hpp"
#include "log_throttle.hpp"

namespace micro_order::host {

/// Counters the relay keeps for metrics and tests.
struct OutboxRelayStats {
    std::atomic<std::uint64_t> published{0};
    std::atomic<std::uint64_t> reconnects{0};
    std::atomic<bool> connected{false};
    /// Messages ready in the dead-letter queue when last looked at; -1 before the first look.
    std::atomic<std::int64_t> deadLetterDepth{-1};
};

/// Publishes one database's outbox, in id order, on its own AMQP connection and thread.
///
/// Rows leave the table only after the broker confirmed them, so a crash at any point sends a
/// row at most twice and never loses one. The relay sleeps until a commit wakes it; it wakes on
/// its own only to keep the connection's heartbeats going and to retry after a failure.
class OutboxRelay {
public:
    OutboxRelay(HostDatabase& database, const BrokerSettings& broker, const BrokerTopology& topology,
                Poco::Logger& logger);
    ~OutboxRelay();

    void start();
    /// Publishes what is already committed (within `grace`), then closes the connection.
    void stop(std::chrono::milliseconds grace);
    /// stop() without the wait, so that several relays drain side by side; stop() then joins.
    void requestStop(std::chrono::milliseconds grace);
    void wake();

    const OutboxRelayStats& stats() const { return stats_; }
    const std::string& databaseName() const { return database_.name(); }
    /// Rows waiting and the creation time (µs since the epoch) of the oldest, 0 when empty.
    std::pair<std::int64_t, std::int64_t> backlog() { return database_.outboxBacklog(); }

private:
    void run();
    /// Publishes one batch; returns how many rows left the outbox.
    std::size_t publishBatch(AmqpConnection& connection);
    /// Stopping, and the grace period is over.
    bool graceRanOut();

    HostDatabase& database_;
    BrokerSettings broker_;
    const BrokerTopology& topology_;
    Poco::Logger& logger_;
    OutboxRelayStats stats_;
    LogThrottle failureLog_;
    /// Confirmed by the broker, not yet removed from the table (the removal failed).
    std::vector<std::int64_t> confirmedNotRemoved_;

    std::mutex mutex_;
    std::condition_variable_any wakeUp_;
    bool pending_ = true;  // the table may hold rows from before a restart
    std::chrono::steady_clock::time_point drainDeadline_{};
    std::atomic<bool> draining_{false};
    std::jthread thread_;
};

}  // namespace micro_order::host
