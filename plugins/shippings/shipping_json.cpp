#include "shippings/shipping_json.hpp"

#include "rest/json_writer.hpp"

namespace micro_order::shippings {

void writeShipping(std::string& out, const Shipping& shipping) {
    rest::JsonObjectWriter(out)
        .field("id", shipping.id)
        .field("order", shipping.order)
        .field("shipped_at", shipping.shippedAt)
        .field("status", toString(shipping.status))
        .end();
}

std::string shippingJson(const Shipping& shipping) {
    std::string out;
    writeShipping(out, shipping);
    return out;
}

}  // namespace micro_order::shippings
