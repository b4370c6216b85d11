#pragma once

#include <micro_order/database.hpp>
#include <vector>

namespace micro_order::shippings {

/// The component name the shippings schema is migrated under.
inline constexpr const char* kComponent = "shippings";

/// Versioned schema steps of shippings_shipping. Append new steps; never edit a released one.
const std::vector<Migration>& shippingMigrations();

}  // namespace micro_order::shippings
