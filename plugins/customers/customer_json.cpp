#include "customers/customer_json.hpp"

#include "rest/json_writer.hpp"

namespace micro_order::customers {

void writeCustomer(std::string& out, const Customer& customer) {
    rest::JsonObjectWriter(out)
        .field("id", customer.id)
        .field("email", customer.email)
        .field("address", customer.address)
        .end();
}

std::string customerJson(const Customer& customer) {
    std::string out;
    writeCustomer(out, customer);
    return out;
}

}  // namespace micro_order::customers
