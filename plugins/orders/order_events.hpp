#pragma once

#include <micro_order/database.hpp>

#include "orders/order.hpp"

namespace micro_order::orders {

/// The `orders.create` event that starts the workflow: exchange "orders", routing key
/// "orders.create", body {"id": <order id>, "customer": <customer id>}, tagged with the order id
/// and a fresh correlation id (left empty for the host to assign).
OutgoingMessage orderCreatedMessage(const Order& order);

}  // namespace micro_order::orders
