#pragma once

#include <Poco/JSON/Object.h>

#include "customers/customer.hpp"

namespace micro_order::customers {

/// {"id": 1, "email": "user@email.com", "address": "Moutain View, 33"}
Poco::JSON::Object::Ptr renderCustomer(const Customer& customer);

}  // namespace micro_order::customers
