#include "shippings/shipping_json.hpp"

#include "rest/json_body.hpp"

namespace micro_order::shippings {

Poco::JSON::Object::Ptr renderShipping(const Shipping& shipping) {
    auto object = rest::makeOrderedObject();
    object->set("id", shipping.id);
    object->set("order", shipping.order);
    object->set("shipped_at", shipping.shippedAt);
    object->set("status", std::string(toString(shipping.status)));
    return object;
}

}  // namespace micro_order::shippings
