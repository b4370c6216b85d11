#include "customers/customer_validation.hpp"

#include "rest/validation.hpp"

namespace micro_order::customers {

NewCustomer validateNewCustomer(const Poco::JSON::Object& body) {
    rest::ValidationErrors errors;
    auto email = rest::readCharField(body, "email", {.maxLength = kMaxEmailLength, .email = true}, errors);
    auto address = rest::readCharField(body, "address", {.maxLength = kMaxAddressLength}, errors);
    errors.throwIfAny();
    return NewCustomer{std::move(*email), std::move(*address)};
}

}  // namespace micro_order::customers
