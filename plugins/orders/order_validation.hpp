#pragma once

#include <Poco/JSON/Object.h>

#include "orders/order.hpp"

namespace micro_order::orders {

/// Checks a POST /orders/ body: customer required, an integer ≥ 1 (a numeric string such as "1"
/// is accepted, as DRF's IntegerField does). Whether the customer exists is not checked here:
/// the workflow does that. Read-only fields (id, status, made_at) and unknown fields are ignored.
/// Throws HttpError 400 with DRF's {"customer": ["message"]} body.
NewOrder validateNewOrder(const Poco::JSON::Object& body);

}  // namespace micro_order::orders
