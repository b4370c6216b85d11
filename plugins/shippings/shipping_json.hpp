#pragma once

#include <string>

#include "shippings/shipping.hpp"

namespace micro_order::shippings {

/// Appends {"id": 1, "order": 1, "shipped_at": "2026-11-26T12:00:00.123456Z", "status": "PROCESSING"}
/// (compact, in that order).
void writeShipping(std::string& out, const Shipping& shipping);

/// The shipping as a JSON body.
std::string shippingJson(const Shipping& shipping);

}  // namespace micro_order::shippings
