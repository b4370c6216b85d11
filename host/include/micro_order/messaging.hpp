#pragma once

/// @file
/// Messaging part of the micro-order plugin SDK. Plugins declare the topology they rely on and
/// register message handlers; the host owns every AMQP connection and thread, publishes through
/// the transactional outbox, deduplicates deliveries (inbox), dead-letters poison messages and
/// reconnects.

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include "micro_order/database.hpp"

namespace micro_order {

/// A delivered message, as a handler sees it.
struct IncomingMessage {
    std::string queue;
    std::string exchange;
    std::string routingKey;
    std::string body;
    std::string messageId;      ///< empty for publishers that set none (the original services)
    std::string correlationId;  ///< empty when the publisher set none
    std::int64_t orderId = 0;   ///< from the `order_id` header, 0 when absent
    bool redelivered = false;
};

/// Thrown by a handler for a message that can never succeed (bad JSON, missing field, unknown
/// row). The host moves it to the dead-letter queue with `what()` as the reason and acks it, on
/// its first delivery. Parse and range errors count as poison too (Poco's JSON, syntax and range
/// exceptions, std::invalid_argument and std::out_of_range), since no retry changes a body. A
/// busy or full database is retried until it works; anything else is retried 5 times, then
/// dead-lettered. A message whose message_id or correlation_id is not printable ASCII is
/// dead-lettered before any handler sees it.
class PoisonMessage : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Runs inside a transaction on the instance's database; publishing through `tx` is part of
/// the same commit, and the host records the message id in the inbox in it too.
using MessageHandler = std::function<void(const IncomingMessage&, Transaction& tx)>;

struct QueueBinding {
    std::string queue;
    std::string exchange;
    std::string routingKey;
};

/// The broker as a plugin sees it. Declarations are collected and applied by the host on every
/// (re)connect of every connection it opens.
class Broker {
public:
    virtual ~Broker() = default;
    virtual void declareExchange(const std::string& name, const std::string& type, bool durable) = 0;
    /// Declares a durable queue bound to `exchange` with `routingKey`.
    virtual void declareQueue(const QueueBinding& binding) = 0;
    /// Consumes `queue` with manual acks and `prefetch` unacked messages at most. The host
    /// acks after the handler's transaction commits.
    virtual void consume(const std::string& queue, int prefetch, MessageHandler handler) = 0;
};

}  // namespace micro_order
