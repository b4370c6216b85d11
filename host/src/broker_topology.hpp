#pragma once

#include <micro_order/messaging.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "amqp_connection.hpp"

namespace micro_order::host {

/// Where poison messages go, declared by the host on every connection.
inline constexpr const char* kDeadLetterQueue = "micro-order.dead-letter";

/// Every exchange and queue the loaded plugins declared. Applied in full on each (re)connect of
/// every connection, so a host can bring up an empty broker, or one restarted without state.
class BrokerTopology {
public:
    void addExchange(const std::string& name, const std::string& type, bool durable);
    void addQueue(const QueueBinding& binding);
    void applyTo(AmqpConnection& connection) const;

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
