#pragma once

#include <Poco/JSON/Object.h>

#include "customers/customer.hpp"

namespace micro_order::customers {

inline constexpr std::size_t kMaxEmailLength = 254;
inline constexpr std::size_t kMaxAddressLength = 254;

/// Checks a POST /customers/ body as the original serializer did: email required, a valid
/// address of at most 254 characters; address required, not blank, at most 254 characters;
/// both trimmed. Unknown and read-only fields (id) are ignored. Throws HttpError 400 with
/// DRF's {"field": ["message"]} body listing every bad field.
NewCustomer validateNewCustomer(const Poco::JSON::Object& body);

}  // namespace micro_order::customers
