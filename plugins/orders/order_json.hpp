#pragma once

#include <string>

#include "orders/order.hpp"

namespace micro_order::orders {

/// Appends {"id": 1, "status": "PROCESSING", "customer": 1, "made_at": "2026-11-26T12:00:00.123456Z"}
/// (compact, in that order).
void writeOrder(std::string& out, const Order& order);

/// The order as a JSON body.
std::string orderJson(const Order& order);

}  // namespace micro_order::orders
