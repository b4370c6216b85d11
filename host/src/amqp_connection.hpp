#pragma once

#include <amqp.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "broker_url.hpp"
#include "host_config.hpp"

namespace micro_order::host {

/// The connection is unusable (closed by the broker, socket gone, protocol error): drop it and
/// reconnect.
class AmqpError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The broker refused a declaration because the queue exists with other arguments (406
/// PRECONDITION_FAILED), e.g. another type than `broker.queue_type`: retrying does not help until
/// someone changes the setting or the queue, so it is logged as an error.
class AmqpTopologyError : public AmqpError {
public:
    using AmqpError::AmqpError;
};

struct AmqpMessageProperties {
    std::string messageId;
    std::string correlationId;
    std::map<std::string, std::string> headers;  ///< string-valued headers only
};

struct AmqpDelivery {
    std::uint64_t deliveryTag = 0;
    std::string exchange;
    std::string routingKey;
    std::string body;
    bool redelivered = false;
    AmqpMessageProperties properties;
};

/// Outcome of a round of publisher confirms.
struct ConfirmResult {
    std::set<std::uint64_t> nacked;            ///< delivery tags the broker refused
    std::set<std::string> returnedMessageIds;  ///< mandatory messages no queue took
};

/// One rabbitmq-c connection with one channel (number 1). Not thread-safe, by design of
/// rabbitmq-c: each user thread owns its own connection.
class AmqpConnection {
public:
    /// Connects and logs in; `url` as amqp://user:pass@host:port/vhost (`/` when no vhost), or
    /// amqps:// for TLS, set up from `tls` (amqp_tls.hpp). `url` may name several nodes of a
    /// cluster (splitBrokerUrls): they are tried in the order written, the first that lets us in
    /// is used, and when none does the error names each one's failure.
    AmqpConnection(const std::string& url, int heartbeatSeconds, const std::string& connectionName,
                   const BrokerTlsSettings& tls = {});
    ~AmqpConnection();
    AmqpConnection(const AmqpConnection&) = delete;
    AmqpConnection& operator=(const AmqpConnection&) = delete;

    void declareExchange(const std::string& name, const std::string& type, bool durable);
    /// A quorum queue is declared with `x-queue-type: quorum` and must be durable. Throws
    /// AmqpTopologyError when the queue exists as another type (or with other arguments).
    void declareQueue(const std::string& name, bool durable, QueueType type = QueueType::classic);
    void bindQueue(const std::string& queue, const std::string& exchange, const std::string& routingKey);
    std::uint32_t messageCount(const std::string& queue);  ///< passive declare
    /// Returns how many messages it removed.
    std::uint32_t purgeQueue(const std::string& queue);

    /// Puts the channel in confirm mode; publish() then returns the delivery tag to wait for.
    void enableConfirms();
    std::uint64_t publish(const std::string& exchange, const std::string& routingKey, const std::string& body,
                          const AmqpMessageProperties& properties, bool mandatory);
    /// Waits until every tag up to `lastTag` is acked or nacked; throws AmqpError on timeout, or
    /// as soon as `giveUp` (asked a few times a second) says so, e.g. when a stop's grace ran out.
    ConfirmResult waitForConfirms(std::uint64_t lastTag, std::chrono::milliseconds timeout,
                                  const std::function<bool()>& giveUp = {});

    void startConsuming(const std::string& queue, std::uint16_t prefetch);
    /// The next delivery, or nullopt after `timeout` with none. Also services heartbeats.
    std::optional<AmqpDelivery> nextDelivery(std::chrono::milliseconds timeout);
    /// A delivery rabbitmq-c has already received (or the socket holds right now), without
    /// waiting for the network; nullopt when there is none. For taking a prefetched batch.
    std::optional<AmqpDelivery> pollDelivery();
    /// basic.get without auto-ack: the next ready message of `queue`, held unacked by this
    /// channel until acked, rejected or the connection closes (which puts it back in its place,
    /// marked redelivered); nullopt when the queue has none ready. `remaining` gets the count
    /// of messages still ready after it.
    std::optional<AmqpDelivery> get(const std::string& queue, std::uint32_t* remaining = nullptr);
    /// Acks `deliveryTag`; with `multiple`, also every earlier unacked delivery on the channel.
    void ack(std::uint64_t deliveryTag, bool multiple = false);
    void reject(std::uint64_t deliveryTag, bool requeue);

    /// `host:port/vhost` of the node connected to (no credentials).
    const std::string& peer() const { return peer_; }

    /// Reads and answers whatever the broker sent (heartbeats) without blocking for long; throws
    /// AmqpError once the broker missed two heartbeats (a link that died silently).
    void serviceHeartbeats();

private:
    void connectTo(const BrokerUrl& broker, int heartbeatSeconds, const std::string& connectionName,
                   const BrokerTlsSettings& tls);
    void check(const amqp_rpc_reply_t& reply, const char* what);
    void checkStatus(int status, const char* what);
    void handleUnexpectedFrame(const amqp_frame_t& frame, ConfirmResult* confirms, std::uint64_t* confirmedUpTo);

    amqp_connection_state_t state_ = nullptr;
    bool open_ = false;
    std::uint64_t nextTag_ = 1;
    std::uint64_t confirmedUpTo_ = 0;
    std::string peer_;
};

}  // namespace micro_order::host
