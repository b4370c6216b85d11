#include "outbox_relay.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "log_escape.hpp"
#include "reconnect_backoff.hpp"

namespace micro_order::host {
namespace {

constexpr auto kConfirmTimeout = std::chrono::seconds(10);
constexpr auto kCheckpointInterval = std::chrono::milliseconds(250);
constexpr auto kInboxPruneInterval = std::chrono::minutes(10);

AmqpMessageProperties propertiesOf(const OutboxRow& row) {
    AmqpMessageProperties properties;
    properties.messageId = row.messageId;
    properties.correlationId = row.correlationId;
    if (row.orderId != 0) {
        properties.headers["order_id"] = std::to_string(row.orderId);
    }
    if (row.originMicros != 0) {
        properties.headers["x-origin-time"] = std::to_string(row.originMicros);
    }
    if (!row.headers.empty()) {
        Poco::JSON::Object::Ptr extra = Poco::JSON::Parser().parse(row.headers).extract<Poco::JSON::Object::Ptr>();
        for (const auto& [key, value] : *extra) {
            properties.headers[key] = value.toString();
        }
    }
    return properties;
}

}  // namespace

OutboxRelay::OutboxRelay(SqliteDatabase& database, const BrokerSettings& broker, const BrokerTopology& topology,
                         Poco::Logger& logger)
    : database_(database), broker_(broker), topology_(topology), logger_(logger) {}

OutboxRelay::~OutboxRelay() { stop(std::chrono::milliseconds(0)); }

void OutboxRelay::start() {
    database_.onOutboxCommit([this] { wake(); });
    thread_ = std::jthread([this] { run(); });
}

void OutboxRelay::wake() {
    {
        std::lock_guard lock(mutex_);
        pending_ = true;
    }
    wakeUp_.notify_one();
}

void OutboxRelay::stop(std::chrono::milliseconds grace) {
    if (!thread_.joinable()) {
        return;
    }
    database_.onOutboxCommit(nullptr);
    {
        std::lock_guard lock(mutex_);
        drainDeadline_ = std::chrono::steady_clock::now() + grace;
        draining_ = true;
        pending_ = true;
    }
    wakeUp_.notify_one();
    thread_.join();
}

void OutboxRelay::run() {
    ReconnectBackoff backoff(broker_.reconnect);
    std::unique_ptr<AmqpConnection> connection;
    // Heartbeats are only answered inside rabbitmq-c calls, so an idle relay must look at its
    // socket a few times per heartbeat interval or the broker drops it.
    const auto idleWake =
        std::chrono::milliseconds(broker_.heartbeatSeconds > 0 ? broker_.heartbeatSeconds * 250 : 5000);
    std::chrono::milliseconds wait{0};
    auto lastCheckpoint = std::chrono::steady_clock::now();
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (wait.count() > 0) {
                wakeUp_.wait_for(lock, wait, [&] { return pending_ || draining_; });
            }
            if (draining_ && (std::chrono::steady_clock::now() >= drainDeadline_ || !connection)) {
                // Whatever is left stays in the table for the next start: nothing is lost.
                break;
            }
            pending_ = false;
        }
        try {
            if (!connection) {
                connection = std::make_unique<AmqpConnection>(broker_.url, broker_.heartbeatSeconds,
                                                              "micro-order outbox relay (" + database_.name() + ")",
                                                              broker_.tls);
                topology_.applyTo(*connection);
                connection->enableConfirms();
                stats_.connected = true;
                stats_.reconnects++;
                backoff.reset();
                logger_.information("outbox %s: connected to the broker", database_.name());
            }
            const std::size_t sent = publishBatch(*connection);
            // Checkpoint here, off the request and consumer threads, a few times a second.
            if (std::chrono::steady_clock::now() - lastCheckpoint >= kCheckpointInterval) {
                database_.checkpoint();
                lastCheckpoint = std::chrono::steady_clock::now();
                // Housekeeping rides along: the relay is the one thread per database that idles.
                database_.pruneInboxIfDue(kInboxPruneInterval);
            }
            if (sent > 0) {
                wait = std::chrono::milliseconds(0);  // there may be more
                continue;
            }
            if (draining_) {
                break;
            }
            connection->serviceHeartbeats();
            wait = idleWake;
        } catch (const std::exception& error) {
            if (connection || stats_.connected) {
                logger_.warning("outbox %s: broker unavailable, will retry: %s", database_.name(),
                                escapeForLog(error.what(), kLogReasonMaxBytes));
            }
            connection.reset();
            stats_.connected = false;
            wait = backoff.next();
        }
    }
    connection.reset();
    stats_.connected = false;
}

std::size_t OutboxRelay::publishBatch(AmqpConnection& connection) {
    const std::vector<OutboxRow> rows = database_.pendingOutbox(static_cast<std::size_t>(broker_.outboxBatch));
    if (rows.empty()) {
        return 0;
    }
    std::vector<std::uint64_t> tags;
    tags.reserve(rows.size());
    for (const OutboxRow& row : rows) {
        tags.push_back(connection.publish(row.exchange, row.routingKey, row.body, propertiesOf(row), true));
    }
    const ConfirmResult result = connection.waitForConfirms(tags.back(), kConfirmTimeout);
    std::vector<std::int64_t> confirmed;
    confirmed.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (result.nacked.count(tags[i]) || result.returnedMessageIds.count(rows[i].messageId)) {
            logger_.error("outbox %s: broker did not take message %s to %s/%s (order %Ld, correlation %s); will retry",
                          database_.name(), escapeForLog(rows[i].messageId), rows[i].exchange, rows[i].routingKey,
                          rows[i].orderId, escapeForLog(rows[i].correlationId));
            continue;
        }
        confirmed.push_back(rows[i].id);
    }
    database_.removeFromOutbox(confirmed);
    stats_.published += confirmed.size();
    if (confirmed.size() < rows.size()) {
        // Unroutable or refused: the topology may have been deleted under us. Reconnecting
        // declares it again; the rows stay and go out on the next round.
        throw AmqpError("some messages were not accepted by the broker");
    }
    return confirmed.size();
}

}  // namespace micro_order::host
