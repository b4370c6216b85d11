#include "support/broker_client.hpp"

#include <stdexcept>

#include "support/test_environment.hpp"

namespace micro_order::testing {

BrokerClient::BrokerClient() : BrokerClient(amqpUrl()) {}

BrokerClient::BrokerClient(const std::string& url)
    : url_(url), connection_(std::make_unique<host::AmqpConnection>(url, 0, "micro-order test client")) {
    connection_->enableConfirms();
}

void BrokerClient::declareExchange(const std::string& name, const std::string& type) {
    connection_->declareExchange(name, type, true);
}

void BrokerClient::declareQueue(const std::string& queue, const std::string& exchange, const std::string& routingKey) {
    connection_->declareQueue(queue, true);
    if (!exchange.empty()) {
        connection_->bindQueue(queue, exchange, routingKey);
    }
}

void BrokerClient::publish(const std::string& exchange, const std::string& routingKey, const std::string& body,
                           const host::AmqpMessageProperties& properties) {
    host::AmqpMessageProperties withId = properties;
    if (withId.messageId.empty()) {
        // Returned (unroutable) messages are reported by id.
        withId.messageId = uniqueName("test-message");
    }
    const std::uint64_t tag = connection_->publish(exchange, routingKey, body, withId, true);
    const host::ConfirmResult result = connection_->waitForConfirms(tag, std::chrono::seconds(10));
    if (!result.nacked.empty()) {
        throw std::runtime_error("the broker refused a message to '" + exchange + "'/'" + routingKey + "'");
    }
    if (!result.returnedMessageIds.empty()) {
        throw std::runtime_error("no queue took a message to '" + exchange + "'/'" + routingKey + "'");
    }
}

std::optional<host::AmqpDelivery> BrokerClient::get(const std::string& queue, std::chrono::milliseconds timeout) {
    // A connection of its own: closing it ends the consumer, so nothing else is held unacked.
    host::AmqpConnection consumer(url_, 0, "micro-order test consumer");
    consumer.startConsuming(queue, 1);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return std::nullopt;
        }
        if (auto delivery = consumer.nextDelivery(left)) {
            consumer.ack(delivery->deliveryTag);
            return delivery;
        }
    }
}

std::optional<host::AmqpDelivery> BrokerClient::getMatching(
    const std::string& queue, const std::function<bool(const host::AmqpDelivery&)>& wanted,
    std::chrono::milliseconds timeout) {
    // Holding the others unacked (a large prefetch) walks past them; closing returns them.
    host::AmqpConnection consumer(url_, 0, "micro-order test consumer");
    consumer.startConsuming(queue, 1000);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return std::nullopt;
        }
        if (auto delivery = consumer.nextDelivery(left); delivery && wanted(*delivery)) {
            consumer.ack(delivery->deliveryTag);
            return delivery;
        }
    }
}

}  // namespace micro_order::testing
