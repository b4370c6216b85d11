#include "broker_topology.hpp"

#include <algorithm>

namespace micro_order::host {

void BrokerTopology::addExchange(const std::string& name, const std::string& type, bool durable) {
    std::lock_guard lock(mutex_);
    auto same = [&](const Exchange& e) { return e.name == name; };
    if (std::find_if(exchanges_.begin(), exchanges_.end(), same) == exchanges_.end()) {
        exchanges_.push_back({name, type, durable});
    }
}

void BrokerTopology::addQueue(const QueueBinding& binding) {
    std::lock_guard lock(mutex_);
    auto same = [&](const QueueBinding& q) {
        return q.queue == binding.queue && q.exchange == binding.exchange && q.routingKey == binding.routingKey;
    };
    if (std::find_if(queues_.begin(), queues_.end(), same) == queues_.end()) {
        queues_.push_back(binding);
    }
}

void BrokerTopology::applyTo(AmqpConnection& connection, QueueType queueType) const {
    std::lock_guard lock(mutex_);
    for (const auto& exchange : exchanges_) {
        connection.declareExchange(exchange.name, exchange.type, exchange.durable);
    }
    for (const auto& queue : queues_) {
        connection.declareQueue(queue.queue, true, queueType);
        if (!queue.exchange.empty()) {
            connection.bindQueue(queue.queue, queue.exchange, queue.routingKey);
        }
    }
    connection.declareQueue(kDeadLetterQueue, true, queueType);
}

}  // namespace micro_order::host
