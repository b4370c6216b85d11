#pragma once

#include <Poco/JSON/Object.h>

#include "shippings/shipping.hpp"

namespace micro_order::shippings {

/// {"id": 1, "order": 1, "shipped_at": "2026-11-26T12:00:00.123456Z", "status": "PROCESSING"}
Poco::JSON::Object::Ptr renderShipping(const Shipping& shipping);

}  // namespace micro_order::shippings
