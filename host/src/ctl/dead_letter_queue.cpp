#include "ctl/dead_letter_queue.hpp"

#include "broker_topology.hpp"
#include "random_uuid.hpp"

namespace micro_order::host::ctl {
namespace {

constexpr auto kConfirmTimeout = std::chrono::seconds(10);

}  // namespace

DeadLetterQueue::DeadLetterQueue(const BrokerSettings& broker) : broker_(broker) {}

void DeadLetterQueue::walk(const std::function<void(AmqpConnection&, const AmqpDelivery&, const DeadLetter&)>& visit,
                           bool confirms) {
    AmqpConnection connection(broker_.url, 0, "micro-order-ctl dead-letters");
    // Declared as the host declares it, so a broker no host has reached yet has an empty queue.
    connection.declareQueue(kDeadLetterQueue, true, broker_.queueType);
    if (confirms) {
        connection.enableConfirms();
    }
    const std::uint32_t count = connection.messageCount(kDeadLetterQueue);
    for (std::uint32_t seen = 0; seen < count; ++seen) {
        const auto delivery = connection.get(kDeadLetterQueue);
        if (!delivery) {
            break;
        }
        visit(connection, *delivery, readDeadLetter(*delivery));
    }
    // The destructor closes the connection: whatever was not acked goes back to the queue.
}

void DeadLetterQueue::list(const DeadLetterFilter& filter, const std::function<void(const DeadLetter&)>& show) {
    walk(
        [&](AmqpConnection&, const AmqpDelivery&, const DeadLetter& letter) {
            if (!filter.selectsSomething() || filter.matches(letter)) {
                show(letter);
            }
        },
        false);
}

DeadLetterQueue::ReplayOutcome DeadLetterQueue::replay(
    const DeadLetterFilter& filter,
    const std::function<void(const DeadLetter&, const std::string& newMessageId)>& replayed) {
    ReplayOutcome outcome;
    walk(
        [&](AmqpConnection& connection, const AmqpDelivery& delivery, const DeadLetter& letter) {
            if (!filter.matches(letter)) {
                return;
            }
            const std::string name = letter.messageId.empty() ? std::string("(no id)") : letter.messageId;
            if (!letter.replayable) {
                outcome.failures.push_back(name + ": no x-source-exchange/x-source-routing-key to replay it to");
                return;
            }
            const std::string newId = newRandomUuid();
            const std::uint64_t tag = connection.publish(letter.sourceExchange, letter.sourceRoutingKey, delivery.body,
                                                         replayProperties(delivery, newId), true);
            const ConfirmResult confirm = connection.waitForConfirms(tag, kConfirmTimeout);
            if (!confirm.nacked.empty() || !confirm.returnedMessageIds.empty()) {
                outcome.failures.push_back(name + ": the broker did not route it to '" + letter.sourceExchange + "'/'" +
                                           letter.sourceRoutingKey + "'");
                return;
            }
            connection.ack(delivery.deliveryTag);
            ++outcome.replayed;
            replayed(letter, newId);
        },
        true);
    return outcome;
}

std::size_t DeadLetterQueue::purge(const DeadLetterFilter& filter) {
    if (filter.all && filter.sourceQueue.empty() && filter.reasonPart.empty() && filter.messageId.empty()) {
        AmqpConnection connection(broker_.url, 0, "micro-order-ctl dead-letters");
        connection.declareQueue(kDeadLetterQueue, true, broker_.queueType);
        return connection.purgeQueue(kDeadLetterQueue);
    }
    std::size_t purged = 0;
    walk(
        [&](AmqpConnection& connection, const AmqpDelivery& delivery, const DeadLetter& letter) {
            if (filter.matches(letter)) {
                connection.ack(delivery.deliveryTag);
                ++purged;
            }
        },
        false);
    return purged;
}

std::uint32_t DeadLetterQueue::depth() {
    AmqpConnection connection(broker_.url, 0, "micro-order-ctl dead-letters");
    connection.declareQueue(kDeadLetterQueue, true, broker_.queueType);
    return connection.messageCount(kDeadLetterQueue);
}

}  // namespace micro_order::host::ctl
