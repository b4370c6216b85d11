#pragma once

// One message of the dead-letter queue as the operator sees it, which of them a command picks,
// and what a replay of it looks like: plain functions over AmqpDelivery, tested without a broker.

#include <Poco/Timestamp.h>

#include <optional>
#include <string>

#include "amqp_connection.hpp"

namespace micro_order::host::ctl {

struct DeadLetter {
    std::string messageId;
    std::string reason;                             ///< x-death-reason
    std::string sourceQueue;                        ///< x-source-queue
    std::string sourceExchange;                     ///< x-source-exchange ("" is the default exchange)
    std::string sourceRoutingKey;                   ///< x-source-routing-key
    bool replayable = false;                        ///< the source exchange and routing key are known
    std::optional<Poco::Timestamp> deadLetteredAt;  ///< absent on letters from before 0.3
};

DeadLetter readDeadLetter(const AmqpDelivery& delivery);

/// Which dead letters a command works on. Every criterion given must match.
struct DeadLetterFilter {
    bool all = false;         ///< --all: every letter (only when no other criterion is given)
    std::string sourceQueue;  ///< --queue: x-source-queue equals
    std::string reasonPart;   ///< --reason: x-death-reason contains
    std::string messageId;    ///< --message-id: the letter's message id equals

    bool selectsSomething() const { return all || !sourceQueue.empty() || !reasonPart.empty() || !messageId.empty(); }
    bool matches(const DeadLetter& letter) const;
};

/// "12s", "4m05s", "3h02m", "2d04h"; "?" for a letter with no time.
std::string formatAge(const std::optional<Poco::Timestamp>& deadLetteredAt, const Poco::Timestamp& now);

/// The properties a replay publishes `delivery` with: a new message id (the inbox recorded the
/// old one when it dead-lettered it, and would skip the replay as a duplicate), the old one in
/// x-replayed-from, the correlation id and order_id kept, the dead-letter headers dropped.
AmqpMessageProperties replayProperties(const AmqpDelivery& delivery, const std::string& newMessageId);

}  // namespace micro_order::host::ctl
