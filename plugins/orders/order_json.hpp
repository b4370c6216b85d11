#pragma once

#include <Poco/JSON/Object.h>

#include "orders/order.hpp"

namespace micro_order::orders {

/// {"id": 1, "status": "PROCESSING", "customer": 1, "made_at": "2026-11-26T12:00:00.123456Z"}
Poco::JSON::Object::Ptr renderOrder(const Order& order);

}  // namespace micro_order::orders
