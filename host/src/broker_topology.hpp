#pragma once

#include <micro_order/messaging.hpp>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "amqp_connection.hpp"

namespace micro_order::host {

/// Where poison messages go, declared by the host on every connection.
inline constexpr const char* kDeadLetterQueue = "micro-order.dead-letter";
/// Headers of a dead letter: why, where it came from, when (ISO 8601 UTC, from 0.3 on).
inline constexpr std::string_view kDeathReasonHeader = "x-death-reason";
inline constexpr std::string_view kSourceQueueHeader = "x-source-queue";
inline constexpr std::string_view kSourceExchangeHeader = "x-source-exchange";
inline constexpr std::string_view kSourceRoutingKeyHeader = "x-source-routing-key";
inline constexpr std::string_view kDeadLetteredAtHeader = "x-dead-lettered-at";
/// On a replayed dead letter: the message id it had (replays get a new one, so that the inbox,
/// which recorded the old one, lets it run again).
inline constexpr std::string_view kReplayedFromHeader = "x-replayed-from";

/// Every exchange and queue the loaded plugins declared. Applied in full on each (re)connect of
/// every connection, so a host can bring up an empty broker, or one restarted without state.
class BrokerTopology {
public:
    void addExchange(const std::string& name, const std::string& type, bool durable);
    void addQueue(const QueueBinding& binding);
    /// Declares everything, queues as `queueType` (they take no other arguments, so both types
    /// serve: dead letters are the host's own queue, not a broker argument).
    void applyTo(AmqpConnection& connection, QueueType queueType) const;

private:
    struct Exchange {
        std::string name;
        std::string type;
        bool durable;
    };
    mutable std::mutex mutex_;
    std::vector<Exchange> exchanges_;
    std::vector<QueueBinding> queues_;
};

}  // namespace micro_order::host
