#include "message_consumer.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "database_health.hpp"
#include "delivery_policy.hpp"
#include "log_escape.hpp"
#include "random_uuid.hpp"
#include "reconnect_backoff.hpp"

namespace micro_order::host {
namespace {

/// A handler that keeps failing for reasons other than a busy database is a bug for this
/// message, not a hiccup: after this many tries it is dead-lettered instead of blocking the queue.
constexpr int kMaxAttemptsForNonTransientErrors = 5;
constexpr auto kPollInterval = std::chrono::milliseconds(200);

IncomingMessage incomingFrom(const std::string& queue, const AmqpDelivery& delivery) {
    IncomingMessage message;
    message.queue = queue;
    message.exchange = delivery.exchange;
    message.routingKey = delivery.routingKey;
    message.body = delivery.body;
    message.messageId = delivery.properties.messageId;
    message.correlationId = delivery.properties.correlationId;
    message.redelivered = delivery.redelivered;
    if (auto it = delivery.properties.headers.find("order_id"); it != delivery.properties.headers.end()) {
        try {
            message.orderId = std::stoll(it->second);
        } catch (const std::exception&) {
            message.orderId = 0;  // a foreign publisher's header; the body still says what to do
        }
    }
    return message;
}

std::int64_t originOf(const AmqpDelivery& delivery) {
    if (auto it = delivery.properties.headers.find("x-origin-time"); it != delivery.properties.headers.end()) {
        return std::strtoll(it->second.c_str(), nullptr, 10);
    }
    return 0;
}

std::string describeMessage(const IncomingMessage& message) {
    std::ostringstream out;
    // Ids are any bytes a publisher chose: escaped and capped, so they cannot forge log lines.
    out << "queue=" << message.queue
        << " message=" << (message.messageId.empty() ? "-" : escapeForLog(message.messageId))
        << " order=" << message.orderId
        << " correlation=" << (message.correlationId.empty() ? "-" : escapeForLog(message.correlationId));
    return out.str();
}

}  // namespace

MessageConsumer::MessageConsumer(std::string queue, int prefetch, MessageHandler handler, HostDatabase& database,
                                 const BrokerSettings& broker, const BrokerTopology& topology, Poco::Logger& logger,
                                 MetricsRegistry::Histogram& workflowAge)
    : queue_(std::move(queue)),
      prefetch_(prefetch),
      handler_(std::move(handler)),
      database_(database),
      broker_(broker),
      topology_(topology),
      logger_(logger),
      workflowAge_(workflowAge) {}

MessageConsumer::~MessageConsumer() { stop(); }

void MessageConsumer::start() {
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void MessageConsumer::stop() {
    if (thread_.joinable()) {
        thread_.request_stop();
        thread_.join();
    }
}

void MessageConsumer::run(std::stop_token stop) {
    ReconnectBackoff backoff(broker_.reconnect);
    const auto pauseBeforeReconnecting = [&] {
        stats_.connected = false;
        const auto delay = backoff.next();
        const auto until = std::chrono::steady_clock::now() + delay;
        while (!stop.stop_requested() && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(delay, kPollInterval));
        }
    };
    while (!stop.stop_requested()) {
        try {
            AmqpConnection connection(broker_.url, broker_.heartbeatSeconds, "micro-order consumer (" + queue_ + ")",
                                      broker_.tls);
            topology_.applyTo(connection, broker_.queueType);
            connection.startConsuming(queue_, static_cast<std::uint16_t>(prefetch_));
            stats_.connected = true;
            backoff.reset();
            logger_.information("consuming %s (prefetch %d) from %s", queue_, prefetch_, connection.peer());
            const auto batchLimit = static_cast<std::size_t>(std::max(prefetch_, 1));
            std::vector<AmqpDelivery> batch;
            batch.reserve(batchLimit);
            while (!stop.stop_requested()) {
                // The timeout only bounds how long a stop request waits; deliveries wake us at once.
                auto delivery = connection.nextDelivery(kPollInterval);
                if (!delivery) {
                    continue;
                }
                batch.clear();
                batch.push_back(std::move(*delivery));
                // Whatever the broker has already sent joins it, without waiting for more: under
                // load one commit and one ack then serve many deliveries, idle nothing is delayed.
                while (batch.size() < batchLimit) {
                    auto more = connection.pollDelivery();
                    if (!more) {
                        break;
                    }
                    batch.push_back(std::move(*more));
                }
                handleBatch(connection, batch, stop);
            }
        } catch (const AmqpTopologyError& error) {
            // A queue of another type (a mixed deployment): say so loudly, it will not mend itself.
            stats_.connected = false;
            logger_.error("cannot consume %s: %s", queue_, escapeForLog(error.what(), kLogReasonMaxBytes));
            pauseBeforeReconnecting();
        } catch (const AmqpError& error) {
            if (stats_.connected) {
                logger_.warning("lost the broker while consuming %s, reconnecting: %s", queue_,
                                escapeForLog(error.what(), kLogReasonMaxBytes));
            } else {
                logger_.debug("cannot consume %s yet: %s", queue_, escapeForLog(error.what(), kLogReasonMaxBytes));
            }
            pauseBeforeReconnecting();
        } catch (const std::exception& error) {
            // Not the broker's doing (it would be an AmqpError): say what it was, then start over
            // on a new connection; what was not acked is delivered again.
            logger_.error("consumer of %s failed, starting over: %s", queue_,
                          escapeForLog(error.what(), kLogReasonMaxBytes));
            pauseBeforeReconnecting();
        }
    }
    stats_.connected = false;
}

void MessageConsumer::handleBatch(AmqpConnection& connection, const std::vector<AmqpDelivery>& batch,
                                  std::stop_token stop) {
    const bool anyRefused = std::any_of(batch.begin(), batch.end(), [](const AmqpDelivery& delivery) {
        return refusedIdentifiers(delivery.properties.messageId, delivery.properties.correlationId).has_value();
    });
    if (batch.size() > 1 && !anyRefused && handleInOneTransaction(connection, batch)) {
        return;
    }
    // One message per transaction, each with its own retries, dead letter and ack: one bad
    // message costs the others of its batch a second run, never their delivery.
    for (const AmqpDelivery& delivery : batch) {
        if (&delivery != &batch.front() && stop.stop_requested()) {
            return;  // the rest is not acked: the broker hands it on once we close
        }
        handle(connection, delivery, stop);
    }
}

bool MessageConsumer::handleInOneTransaction(AmqpConnection& connection, const std::vector<AmqpDelivery>& batch) {
    std::vector<IncomingMessage> messages;
    std::vector<std::int64_t> origins;
    messages.reserve(batch.size());
    origins.reserve(batch.size());
    for (const AmqpDelivery& delivery : batch) {
        messages.push_back(incomingFrom(queue_, delivery));
        origins.push_back(originOf(delivery));
    }
    std::vector<char> duplicates(batch.size(), 0);
    MessageScope scope;
    try {
        database_.transact(
            [&](Transaction& tx) {
                // transact() runs this again after a busy database: start over each time.
                std::fill(duplicates.begin(), duplicates.end(), 0);
                for (std::size_t i = 0; i < messages.size(); ++i) {
                    const IncomingMessage& message = messages[i];
                    // The transaction reads the scope at each publish: what this message
                    // publishes carries its own correlation, order and origin.
                    scope.correlationId = message.correlationId;
                    scope.orderId = message.orderId;
                    scope.originMicros = origins[i];
                    if (!message.messageId.empty() && !HostDatabase::recordInInbox(tx, message.messageId, queue_)) {
                        duplicates[i] = 1;
                        continue;
                    }
                    handler_(message, tx);
                }
            },
            scope);
    } catch (const std::exception& error) {
        // Nothing of the batch was committed or acked; the one-by-one path logs what matters.
        logger_.debug("batch of %d on %s rolled back, handling it one message at a time: %s",
                      static_cast<int>(batch.size()), queue_, escapeForLog(error.what(), kLogReasonMaxBytes));
        return false;
    } catch (...) {
        return false;  // not a std::exception: the one-by-one path reports it
    }
    for (std::size_t i = 0; i < messages.size(); ++i) {
        recordHandled(messages[i], origins[i], duplicates[i] != 0);
    }
    if (logger_.debug()) {
        logger_.debug("committed a batch of %d on %s", static_cast<int>(batch.size()), queue_);
    }
    // Every earlier delivery on this channel is already acked, so `multiple` acks this batch.
    connection.ack(batch.back().deliveryTag, true);
    return true;
}

void MessageConsumer::recordHandled(const IncomingMessage& message, std::int64_t origin, bool duplicate) {
    (duplicate ? stats_.duplicates : stats_.handled)++;
    if (!duplicate && origin > 0) {
        workflowAge_.observe(static_cast<double>(Poco::Timestamp().epochMicroseconds() - origin) / 1e6);
    }
    if (duplicate) {
        logger_.information("skipped duplicate %s", describeMessage(message));
    } else if (logger_.debug()) {
        logger_.debug("handled %s", describeMessage(message));
    }
}

void MessageConsumer::handle(AmqpConnection& connection, const AmqpDelivery& delivery, std::stop_token stop) {
    IncomingMessage message = incomingFrom(queue_, delivery);
    const auto refused = refusedIdentifiers(message.messageId, message.correlationId);
    if (refused) {
        // Neither id goes on: not into the inbox, the log or the dead letter (which gets new ones).
        message.messageId.clear();
        message.correlationId.clear();
    }
    const std::int64_t origin = originOf(delivery);
    const MessageScope scope{message.correlationId, message.orderId, origin};
    ReconnectBackoff retryDelay(broker_.reconnect);
    for (int attempt = 1;; ++attempt) {
        std::string failure;
        std::string database;  ///< "database NAME (disk full): " when the failure was the database's
        FailureKind kind = FailureKind::kRetryable;
        std::optional<std::string> letter = refused;
        const auto noteDatabase = [&](const std::exception& error) {
            if (isTransientDatabaseError(error)) {
                database =
                    "database " + database_.name() + " (" + unusableDatabaseReason(error).value_or("busy") + "): ";
            }
        };
        if (!letter) {
            try {
                bool duplicate = false;
                database_.transact(
                    [&](Transaction& tx) {
                        duplicate = false;  // the work may run more than once
                        // Messages from the original services carry no id: natural keys keep
                        // their redeliveries harmless instead.
                        if (!message.messageId.empty() && !HostDatabase::recordInInbox(tx, message.messageId, queue_)) {
                            duplicate = true;
                            return;
                        }
                        handler_(message, tx);
                    },
                    scope);
                recordHandled(message, origin, duplicate);
                settleRetries();
                break;
            } catch (const std::exception& error) {
                failure = error.what();
                kind = classifyFailure(error);
                noteDatabase(error);
            } catch (...) {
                failure = "the handler threw something that is not a std::exception";
            }
            if (kind == FailureKind::kPoison) {
                letter = failure;
            } else if (kind == FailureKind::kRetryable && attempt >= kMaxAttemptsForNonTransientErrors) {
                letter = "handler failed " + std::to_string(attempt) + " times: " + failure;
            }
        }
        if (letter) {
            try {
                deadLetter(message, *letter, delivery);
                settleRetries();
                break;
            } catch (const std::exception& error) {
                // The letter goes out through this database's outbox: it waits for the database
                // like any write, and the message stays unacked meanwhile.
                failure = "cannot dead-letter it yet: " + std::string(error.what());
                noteDatabase(error);
            }
        }
        stats_.retries++;
        // Identical failures (a full disk fails every message alike) take one line per interval.
        std::uint64_t repeats = 0;
        if (retryLog_.admit(database + failure, repeats)) {
            logger_.warning("retrying %s after an error: %s%s%s", describeMessage(message), database,
                            escapeForLog(failure, kLogReasonMaxBytes), retryLog_.repeatsNote(repeats));
        }
        if (stop.stop_requested()) {
            // Not acked: the broker hands it to the next consumer once we close.
            throw AmqpError("stopping with a message not handled");
        }
        std::this_thread::sleep_for(retryDelay.next());
    }
    connection.ack(delivery.deliveryTag);
}

void MessageConsumer::settleRetries() {
    retryLog_.settle([&](const std::string& failure, std::uint64_t repeats) {
        logger_.notice("%s: %s more retries after: %s, until it worked again", queue_, std::to_string(repeats),
                       failure);
    });
}

void MessageConsumer::deadLetter(const IncomingMessage& message, const std::string& reason,
                                 const AmqpDelivery& delivery) {
    OutboxRow row;
    row.messageId = message.messageId.empty() ? std::string() : message.messageId;
    row.exchange = "";  // the default exchange routes by queue name
    row.routingKey = kDeadLetterQueue;
    row.body = message.body;
    row.correlationId = message.correlationId;
    row.orderId = message.orderId;
    Poco::JSON::Object headers;
    headers.set(std::string(kDeathReasonHeader), reason);
    headers.set(std::string(kSourceQueueHeader), message.queue);
    headers.set(std::string(kSourceExchangeHeader), message.exchange);
    headers.set(std::string(kSourceRoutingKeyHeader), message.routingKey);
    // For `micro-order-ctl dead-letters list`: how long a letter has waited.
    headers.set(std::string(kDeadLetteredAtHeader),
                Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::ISO8601_FRAC_FORMAT));
    // A letter that was a replay says so again: the chain of ids stays readable.
    if (const auto replayed = delivery.properties.headers.find(std::string(kReplayedFromHeader));
        replayed != delivery.properties.headers.end()) {
        headers.set(std::string(kReplayedFromHeader), replayed->second);
    }
    std::ostringstream json;
    headers.stringify(json);
    row.headers = json.str();
    database_.transact([&](Transaction& tx) {
        if (!message.messageId.empty()) {
            HostDatabase::recordInInbox(tx, message.messageId, queue_);
        }
        if (row.messageId.empty()) {
            row.messageId = newRandomUuid();
        }
        HostDatabase::enqueue(tx, row);
    });
    stats_.deadLettered++;
    logger_.error("dead-lettered %s: %s", describeMessage(message), escapeForLog(reason, kLogReasonMaxBytes));
}

}  // namespace micro_order::host
