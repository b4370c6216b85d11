#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <cstdint>
#include <micro_order/messaging.hpp>
#include <string>
#include <thread>
#include <vector>

#include "amqp_connection.hpp"
#include "broker_topology.hpp"
#include "database/host_database.hpp"
#include "host_config.hpp"
#include "log_throttle.hpp"
#include "metrics_registry.hpp"

namespace micro_order::host {

struct MessageConsumerStats {
    std::atomic<std::uint64_t> handled{0};
    std::atomic<std::uint64_t> duplicates{0};
    std::atomic<std::uint64_t> deadLettered{0};
    std::atomic<std::uint64_t> retries{0};
    std::atomic<bool> connected{false};
};

/// Consumes one queue for one plugin handler, on its own AMQP connection and thread.
///
/// Each delivery runs in a database transaction together with its inbox record and the
/// messages it publishes (outbox); the ack goes out only after that commit. The deliveries
/// already received when one arrives (up to the prefetch) share one transaction and one ack;
/// if any of them throws, that transaction rolls back and they are handled again one per
/// transaction. A redelivered message whose id is in the inbox is acked with no second effect.
/// A PoisonMessage goes to the dead-letter queue through the same outbox, so it is never lost
/// and never retried.
class MessageConsumer {
public:
    /// `workflowAge` times, for each message handled, how long ago its chain began
    /// (`x-origin-time`): for the last step of a workflow, creation to final state.
    MessageConsumer(std::string queue, int prefetch, MessageHandler handler, HostDatabase& database,
                    const BrokerSettings& broker, const BrokerTopology& topology, Poco::Logger& logger,
                    MetricsRegistry::Histogram& workflowAge);
    ~MessageConsumer();

    void start();
    /// Finishes the message being handled, then closes the connection (unacked prefetched
    /// messages go back to the queue).
    void stop();
    /// Asks the thread to stop without waiting, so several consumers stop together.
    void requestStop() { thread_.request_stop(); }

    const std::string& queue() const { return queue_; }
    const MessageConsumerStats& stats() const { return stats_; }

private:
    void run(std::stop_token stop);
    void handleBatch(AmqpConnection& connection, const std::vector<AmqpDelivery>& batch, std::stop_token stop);
    bool handleInOneTransaction(AmqpConnection& connection, const std::vector<AmqpDelivery>& batch);
    void handle(AmqpConnection& connection, const AmqpDelivery& delivery, std::stop_token stop);
    void recordHandled(const IncomingMessage& message, std::int64_t origin, bool duplicate);
    /// Logs what the retry log kept quiet, once the message it was about went through.
    void settleRetries();
    void deadLetter(const IncomingMessage& message, const std::string& reason, const AmqpDelivery& delivery);

    std::string queue_;
    int prefetch_;
    MessageHandler handler_;
    HostDatabase& database_;
    BrokerSettings broker_;
    const BrokerTopology& topology_;
    Poco::Logger& logger_;
    MetricsRegistry::Histogram& workflowAge_;
    MessageConsumerStats stats_;
    LogThrottle retryLog_;
    std::jthread thread_;
};

}  // namespace micro_order::host
