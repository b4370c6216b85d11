#include "orders/order.hpp"

#include <stdexcept>

namespace micro_order::orders {

std::string_view toString(OrderStatus status) { return kOrderStatusNames.at(static_cast<std::size_t>(status)); }

std::optional<OrderStatus> parseOrderStatus(std::string_view name) {
    for (std::size_t i = 0; i < kOrderStatusNames.size(); ++i) {
        if (kOrderStatusNames[i] == name) {
            return static_cast<OrderStatus>(i);
        }
    }
    return std::nullopt;
}

OrderStatus orderStatusFromInt(int value) {
    if (value < 0 || static_cast<std::size_t>(value) >= kOrderStatusNames.size()) {
        throw std::out_of_range("orders_order.status holds unknown value " + std::to_string(value));
    }
    return static_cast<OrderStatus>(value);
}

}  // namespace micro_order::orders
