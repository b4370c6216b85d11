#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "amqp_connection.hpp"

namespace micro_order::testing {

/// Test-side access to the broker over the host's own AmqpConnection: declare, publish with a
/// confirm, take one message, count and purge. One connection per object, used by one thread.
class BrokerClient {
public:
    /// Connects to amqpUrl() (this run's vhost) unless given another URL.
    BrokerClient();
    explicit BrokerClient(const std::string& url);

    host::AmqpConnection& connection() { return *connection_; }

    void declareExchange(const std::string& name, const std::string& type = "topic");
    /// A durable queue; bound to `exchange` with `routingKey` when `exchange` is not empty.
    void declareQueue(const std::string& queue, const std::string& exchange = "", const std::string& routingKey = "#");

    /// Publishes and waits for the broker's confirm; throws when it refuses or cannot route it.
    void publish(const std::string& exchange, const std::string& routingKey, const std::string& body,
                 const host::AmqpMessageProperties& properties = {});
    /// Publishes through the default exchange straight to `queue`.
    void publishToQueue(const std::string& queue, const std::string& body,
                        const host::AmqpMessageProperties& properties = {}) {
        publish("", queue, body, properties);
    }

    /// Takes one message from `queue` (its own consumer, prefetch 1) and acks it; nullopt when
    /// none arrives within `timeout`.
    std::optional<host::AmqpDelivery> get(const std::string& queue,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(5));

    /// Takes the first message of `queue` for which `wanted` is true and acks only that one; the
    /// others it looked at go back to the queue (marked redelivered). For queues shared by the
    /// whole run, such as the host's dead-letter queue. nullopt when none matches in `timeout`.
    std::optional<host::AmqpDelivery> getMatching(const std::string& queue,
                                                  const std::function<bool(const host::AmqpDelivery&)>& wanted,
                                                  std::chrono::milliseconds timeout = std::chrono::seconds(5));

    /// Ready messages (not those delivered and unacked).
    std::uint32_t messageCount(const std::string& queue) { return connection_->messageCount(queue); }
    void purge(const std::string& queue) { connection_->purgeQueue(queue); }

private:
    std::string url_;
    std::unique_ptr<host::AmqpConnection> connection_;
};

}  // namespace micro_order::testing
