#include "customers/customer_json.hpp"

#include "rest/json_body.hpp"

namespace micro_order::customers {

Poco::JSON::Object::Ptr renderCustomer(const Customer& customer) {
    auto object = rest::makeOrderedObject();
    object->set("id", customer.id);
    object->set("email", customer.email);
    object->set("address", customer.address);
    return object;
}

}  // namespace micro_order::customers
