#include "orders/order_events.hpp"

#include "rest/json_body.hpp"
#include "workflow/workflow_topology.hpp"

namespace micro_order::orders {

OutgoingMessage orderCreatedMessage(const Order& order) {
    auto body = rest::makeOrderedObject();
    body->set("id", order.id);
    body->set("customer", order.customer);
    OutgoingMessage message;
    message.exchange = std::string(workflow::exchangeOf(workflow::kOrdersCreate));
    message.routingKey = std::string(workflow::kOrdersCreate);
    message.body = rest::toJson(*body);
    message.orderId = order.id;
    return message;
}

}  // namespace micro_order::orders
