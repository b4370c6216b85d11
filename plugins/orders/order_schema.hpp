#pragma once

#include <micro_order/database.hpp>
#include <vector>

namespace micro_order::orders {

/// The component name the orders schema is migrated under.
inline constexpr const char* kComponent = "orders";

/// Versioned schema steps of orders_order. Append new steps; never edit a released one.
const std::vector<Migration>& orderMigrations();

}  // namespace micro_order::orders
