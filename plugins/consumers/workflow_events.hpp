#pragma once

// The bodies of the four workflow messages, exactly as the original services send them.
// Parsing takes every body the original services can publish (customer 0, any
// stored email, `"customer": {}`, Python's separators and \u escapes, extra keys) and nothing
// they cannot: anything else is poison (micro_order::PoisonMessage) on its first delivery, never
// a crash and never a retry.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace micro_order::consumers {

/// Order and shipping ids: database row ids, from 1 up.
inline constexpr std::int64_t kMaxRowId = std::numeric_limits<std::int64_t>::max();
/// Customer ids run from 0 (the original's orders service accepts it; no customer has it, so the
/// order ends CANCELLED) to orders::kMaxCustomerId, the largest either orders service publishes.

/// orders.create: {"id": order, "customer": c}
struct OrderCreated {
    std::int64_t order = 0;
    std::int64_t customer = 0;
};

/// customers.request: {"id": shipping, "customer": c}
struct CustomerRequested {
    std::int64_t shipping = 0;
    std::int64_t customer = 0;
};

struct CustomerDetail {
    std::string email;
    std::string address;
};

/// customers.detail: {"id": shipping, "customer": {"email": e, "address": a}} or "customer": {}
struct CustomerDetailed {
    std::int64_t shipping = 0;
    std::optional<CustomerDetail> customer;  ///< empty: no such customer
};

/// shippings.update: {"id": shipping, "order": o, "status": 1 (SUCCESS) or 2 (FAIL)}
struct ShippingUpdated {
    std::int64_t shipping = 0;
    std::int64_t order = 0;
    int status = 0;
};

OrderCreated parseOrderCreated(const std::string& body);
CustomerRequested parseCustomerRequested(const std::string& body);
CustomerDetailed parseCustomerDetailed(const std::string& body);
ShippingUpdated parseShippingUpdated(const std::string& body);

std::string render(const CustomerRequested& event);
std::string render(const CustomerDetailed& event);
std::string render(const ShippingUpdated& event);

}  // namespace micro_order::consumers
