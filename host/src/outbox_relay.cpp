#include "outbox_relay.hpp"

#include <Poco/Data/DataException.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "database_health.hpp"
#include "log_escape.hpp"
#include "reconnect_backoff.hpp"

namespace micro_order::host {
namespace {

constexpr auto kConfirmTimeout = std::chrono::seconds(10);
constexpr auto kCheckpointInterval = std::chrono::milliseconds(250);
constexpr auto kInboxPruneInterval = std::chrono::minutes(10);
/// How often the relay of a database shared by several hosts looks for rows (and, standing by,
/// for the relay lease): their commits do not wake it.
constexpr auto kSharedPoll = std::chrono::milliseconds(100);
/// How often an idle relay reads the dead-letter queue's depth for /metrics.
constexpr auto kDeadLetterDepthInterval = std::chrono::seconds(2);

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

/// What failed, for the log: "database orders failed (disk full): ..." for the database's own
/// failures, so that they are never mistaken for the broker's.
std::string describeFailure(const std::string& database, const std::exception& error) {
    if (isTransientDatabaseError(error) || dynamic_cast<const Poco::Data::DataException*>(&error)) {
        const std::string kind =
            unusableDatabaseReason(error).value_or(isTransientDatabaseError(error) ? "busy" : "error");
        return "database " + database + " failed (" + kind + "): " + error.what();
    }
    return std::string("failed: ") + error.what();
}

}  // namespace

OutboxRelay::OutboxRelay(HostDatabase& database, const BrokerSettings& broker, const BrokerTopology& topology,
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

void OutboxRelay::requestStop(std::chrono::milliseconds grace) {
    if (!thread_.joinable() || draining_) {
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
}

void OutboxRelay::stop(std::chrono::milliseconds grace) {
    if (!thread_.joinable()) {
        return;
    }
    requestStop(grace);
    thread_.join();
}

bool OutboxRelay::graceRanOut() {
    std::lock_guard lock(mutex_);
    return draining_ && std::chrono::steady_clock::now() >= drainDeadline_;
}

void OutboxRelay::run() {
    ReconnectBackoff backoff(broker_.reconnect);
    ReconnectBackoff databaseBackoff(broker_.reconnect);
    bool databaseFailing = false;
    std::unique_ptr<AmqpConnection> connection;
    // Heartbeats are only answered inside rabbitmq-c calls, so an idle relay must look at its
    // socket a few times per heartbeat interval or the broker drops it.
    const auto idleWake = std::min<std::chrono::milliseconds>(
        std::chrono::milliseconds(broker_.heartbeatSeconds > 0 ? broker_.heartbeatSeconds * 250 : 5000),
        kDeadLetterDepthInterval);
    std::chrono::milliseconds wait{0};
    auto lastCheckpoint = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point lastDepth{};
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
                topology_.applyTo(*connection, broker_.queueType);
                connection->enableConfirms();
                stats_.connected = true;
                stats_.reconnects++;
                backoff.reset();
                logger_.information("outbox %s: connected to the broker at %s", database_.name(), connection->peer());
            }
            const std::size_t sent = publishBatch(*connection);
            if (databaseFailing && sent > 0) {
                // Rows left the table: the database writes again.
                databaseFailing = false;
                databaseBackoff.reset();
                failureLog_.settle([&](const std::string& what, std::uint64_t repeats) {
                    logger_.notice("outbox %s: %s (%s more times, until it wrote again)", database_.name(), what,
                                   std::to_string(repeats));
                });
            }
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
            // Idle, with every confirm in: the channel is free for one RPC.
            if (std::chrono::steady_clock::now() - lastDepth >= kDeadLetterDepthInterval) {
                stats_.deadLetterDepth = connection->messageCount(kDeadLetterQueue);
                lastDepth = std::chrono::steady_clock::now();
            }
            connection->serviceHeartbeats();
            // A database shared with other hosts: their commits do not wake this relay, and a
            // standby must notice soon when the holder of the relay lease is gone.
            wait = database_.shared() ? std::min<std::chrono::milliseconds>(idleWake, kSharedPoll) : idleWake;
        } catch (const AmqpError& error) {
            if (dynamic_cast<const AmqpTopologyError*>(&error)) {
                logger_.error("outbox %s: cannot declare the topology, will retry: %s", database_.name(),
                              escapeForLog(error.what(), kLogReasonMaxBytes));
            } else if (connection || stats_.connected) {
                logger_.warning("outbox %s: broker unavailable, will retry: %s", database_.name(),
                                escapeForLog(error.what(), kLogReasonMaxBytes));
            }
            connection.reset();
            stats_.connected = false;
            wait = backoff.next();
        } catch (const std::exception& error) {
            // The database's failure (a full disk, an I/O error), not the broker's: the
            // connection stays, and so do the rows; one line per interval while it lasts.
            std::uint64_t repeats = 0;
            const std::string what = describeFailure(database_.name(), error);
            if (failureLog_.admit(what, repeats)) {
                logger_.error("outbox %s: %s, will retry%s", database_.name(), what, failureLog_.repeatsNote(repeats));
            }
            databaseFailing = true;
            wait = databaseBackoff.next();
            if (connection) {
                try {
                    connection->serviceHeartbeats();
                } catch (const AmqpError&) {
                    connection.reset();
                    stats_.connected = false;
                }
            }
        }
    }
    connection.reset();
    stats_.connected = false;
}

std::size_t OutboxRelay::publishBatch(AmqpConnection& connection) {
    // Rows the broker confirmed whose removal failed (the disk was full) go first: published
    // again, they would reach their consumers twice.
    if (!confirmedNotRemoved_.empty()) {
        database_.removeFromOutbox(confirmedNotRemoved_);
        confirmedNotRemoved_.clear();
    }
    // The fence: only the holder of the relay lease publishes, and it checks before each batch.
    if (!database_.holdsRelayLease()) {
        return 0;
    }
    const std::vector<OutboxRow> rows = database_.pendingOutbox(static_cast<std::size_t>(broker_.outboxBatch));
    if (rows.empty()) {
        return 0;
    }
    std::vector<std::uint64_t> tags;
    tags.reserve(rows.size());
    for (const OutboxRow& row : rows) {
        tags.push_back(connection.publish(row.exchange, row.routingKey, row.body, propertiesOf(row), true));
    }
    // A stop does not wait out kConfirmTimeout on a dead link: unconfirmed rows stay for later.
    const ConfirmResult result =
        connection.waitForConfirms(tags.back(), kConfirmTimeout, [this] { return graceRanOut(); });
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
    stats_.published += confirmed.size();
    confirmedNotRemoved_ = confirmed;
    database_.removeFromOutbox(confirmed);
    confirmedNotRemoved_.clear();
    if (confirmed.size() < rows.size()) {
        // Unroutable or refused: the topology may have been deleted under us. Reconnecting
        // declares it again; the rows stay and go out on the next round.
        throw AmqpError("some messages were not accepted by the broker");
    }
    return confirmed.size();
}

}  // namespace micro_order::host
