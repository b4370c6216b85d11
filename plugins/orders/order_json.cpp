#include "orders/order_json.hpp"

#include "rest/json_body.hpp"

namespace micro_order::orders {

Poco::JSON::Object::Ptr renderOrder(const Order& order) {
    auto object = rest::makeOrderedObject();
    object->set("id", order.id);
    object->set("status", std::string(toString(order.status)));
    object->set("customer", order.customer);
    object->set("made_at", order.madeAt);
    return object;
}

}  // namespace micro_order::orders
