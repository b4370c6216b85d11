#pragma once

#include <string>

#include "customers/customer.hpp"

namespace micro_order::customers {

/// Appends {"id": 1, "email": "user@email.com", "address": "Moutain View, 33"} (compact, in that order).
void writeCustomer(std::string& out, const Customer& customer);

/// The customer as a JSON body.
std::string customerJson(const Customer& customer);

}  // namespace micro_order::customers
