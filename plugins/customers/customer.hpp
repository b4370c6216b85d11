#pragma once

#include <cstdint>
#include <string>

namespace micro_order::customers {

struct Customer {
    std::int64_t id = 0;
    std::string email;
    std::string address;

    bool operator==(const Customer&) const = default;
};

/// A validated POST /customers/ body.
struct NewCustomer {
    std::string email;
    std::string address;
};

}  // namespace micro_order::customers
