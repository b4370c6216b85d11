#include "orders/order_validation.hpp"

#include "rest/validation.hpp"

namespace micro_order::orders {

NewOrder validateNewOrder(const Poco::JSON::Object& body) {
    rest::ValidationErrors errors;
    const auto customer = rest::readIntegerField(body, "customer", 1, errors, kMaxCustomerId);
    errors.throwIfAny();
    return NewOrder{*customer};
}

}  // namespace micro_order::orders
