#pragma once

// Publishes as the original Python services do (pika, 2020): the exchange declared direct and
// not durable on first use, `delivery_mode=2` and no other property at all (no message_id,
// correlation_id, content_type or headers). The host's own AmqpConnection always sets a
// content type, so this talks to rabbitmq-c itself.

#include <amqp.h>

#include <string>

namespace micro_order::testing {

class OriginalPublisher {
public:
    /// Connects to `url` (amqp://user:pass@host:port/vhost).
    explicit OriginalPublisher(const std::string& url);
    ~OriginalPublisher();
    OriginalPublisher(const OriginalPublisher&) = delete;
    OriginalPublisher& operator=(const OriginalPublisher&) = delete;

    /// Declares `exchange` as the original does and publishes `body` to it with `routingKey`;
    /// waits for the broker's confirm and throws when it refuses the message.
    void publish(const std::string& exchange, const std::string& routingKey, const std::string& body);

private:
    void check(const char* what);

    amqp_connection_state_t state_ = nullptr;
    std::uint64_t nextTag_ = 1;
};

}  // namespace micro_order::testing
