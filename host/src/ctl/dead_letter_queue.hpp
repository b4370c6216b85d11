#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ctl/dead_letter.hpp"
#include "host_config.hpp"

namespace micro_order::host::ctl {

/// The host's dead-letter queue on the broker of a config, for `micro-order-ctl dead-letters`.
///
/// AMQP 0-9-1 cannot browse a queue. Every command walks it with basic.get and no auto-ack,
/// holding each letter unacked until the walk ends, then closes its connection: the broker puts
/// every letter not acked back in its place (marked redelivered). The walk stops after as many
/// letters as the queue held when it began, so letters arriving meanwhile cannot keep it going.
class DeadLetterQueue {
public:
    explicit DeadLetterQueue(const BrokerSettings& broker);

    /// Shows each letter `filter` matches (every letter when it selects nothing); the queue is
    /// left as it was.
    void list(const DeadLetterFilter& filter, const std::function<void(const DeadLetter&)>& show);

    struct ReplayOutcome {
        std::size_t replayed = 0;
        std::vector<std::string> failures;  ///< one line per letter left in the queue
    };
    /// Publishes each matching letter to its source exchange and routing key (mandatory, with a
    /// publisher confirm) with a new message id, and acks the letter only once the broker
    /// confirmed the replay: a failed replay leaves the letter where it was.
    ReplayOutcome replay(const DeadLetterFilter& filter,
                         const std::function<void(const DeadLetter&, const std::string& newMessageId)>& replayed);

    /// Removes the matching letters; returns how many.
    std::size_t purge(const DeadLetterFilter& filter);

    /// Letters ready in the queue now.
    std::uint32_t depth();

private:
    /// Calls visit(connection, delivery, letter) for each letter in the queue.
    void walk(const std::function<void(AmqpConnection&, const AmqpDelivery&, const DeadLetter&)>& visit, bool confirms);

    BrokerSettings broker_;
};

}  // namespace micro_order::host::ctl
