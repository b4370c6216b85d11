#pragma once

#include <micro_order/database.hpp>
#include <vector>

namespace micro_order::customers {

/// The component name the customers schema is migrated under.
inline constexpr const char* kComponent = "customers";

/// Versioned schema steps of customers_customer. Append new steps; never edit a released one.
const std::vector<Migration>& customerMigrations();

}  // namespace micro_order::customers
