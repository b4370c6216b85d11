#include "orders/order_json.hpp"

#include "rest/json_writer.hpp"

namespace micro_order::orders {

void writeOrder(std::string& out, const Order& order) {
    rest::JsonObjectWriter(out)
        .field("id", order.id)
        .field("status", toString(order.status))
        .field("customer", order.customer)
        .field("made_at", order.madeAt)
        .end();
}

std::string orderJson(const Order& order) {
    std::string out;
    writeOrder(out, order);
    return out;
}

}  // namespace micro_order::orders
