#include "shippings/shipping.hpp"

#include <stdexcept>

namespace micro_order::shippings {

std::string_view toString(ShippingStatus status) { return kShippingStatusNames.at(static_cast<std::size_t>(status)); }

std::optional<ShippingStatus> parseShippingStatus(std::string_view name) {
    for (std::size_t i = 0; i < kShippingStatusNames.size(); ++i) {
        if (kShippingStatusNames[i] == name) {
            return static_cast<ShippingStatus>(i);
        }
    }
    return std::nullopt;
}

ShippingStatus shippingStatusFromInt(int value) {
    if (value < 0 || static_cast<std::size_t>(value) >= kShippingStatusNames.size()) {
        throw std::out_of_range("shippings_shipping.status holds unknown value " + std::to_string(value));
    }
    return static_cast<ShippingStatus>(value);
}

}  // namespace micro_order::shippings
