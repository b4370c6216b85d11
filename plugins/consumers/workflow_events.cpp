#include "workflow_events.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <limits>
#include <micro_order/messaging.hpp>
#include <orders/order.hpp>
#include <rest/json_numbers.hpp>
#include <sstream>

namespace micro_order::consumers {
namespace {

Poco::JSON::Object::Ptr parseObject(const std::string& body) {
    // Poco would wrap such a literal around into another id.
    if (const auto beyond = rest::firstIntegerBeyondInt64(body)) {
        throw PoisonMessage("number " + *beyond + " does not fit in 64 bits");
    }
    Poco::Dynamic::Var parsed;
    try {
        parsed = Poco::JSON::Parser().parse(body);
    } catch (const Poco::Exception& error) {
        throw PoisonMessage("body is not JSON: " + error.message());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
        throw PoisonMessage("body is not a JSON object");
    }
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

/// A whole JSON number from `min` to `max`. The original services never quote ids nor write
/// them as 1.0 (Python's json.dumps of an int), so anything else is poison.
std::int64_t integerField(const Poco::JSON::Object& object, const std::string& field, std::int64_t min,
                          std::int64_t max) {
    if (!object.has(field)) {
        throw PoisonMessage("field \"" + field + "\" is missing");
    }
    const Poco::Dynamic::Var value = object.get(field);
    // Every integer literal fits an Int64 by now (checked on the text), so Poco read it exactly.
    if (value.type() != typeid(Poco::Int64) && value.type() != typeid(Poco::Int32)) {
        throw PoisonMessage("field \"" + field + "\" is not an integer");
    }
    const std::int64_t number = value.convert<std::int64_t>();
    if (number < min) {
        throw PoisonMessage("field \"" + field + "\" must be at least " + std::to_string(min));
    }
    if (number > max) {
        throw PoisonMessage("field \"" + field + "\" must be at most " + std::to_string(max));
    }
    return number;
}

std::int64_t rowId(const Poco::JSON::Object& object, const std::string& field) {
    return integerField(object, field, 1, kMaxRowId);
}

std::int64_t customerId(const Poco::JSON::Object& object) {
    return integerField(object, "customer", 0, orders::kMaxCustomerId);
}

std::string requiredString(const Poco::JSON::Object& object, const std::string& field) {
    if (!object.has(field)) {
        throw PoisonMessage("field \"customer." + field + "\" is missing");
    }
    const Poco::Dynamic::Var value = object.get(field);
    if (!value.isString()) {
        throw PoisonMessage("field \"customer." + field + "\" is not a string");
    }
    return value.extract<std::string>();
}

std::string stringify(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

/// Runs a parser so that nothing but PoisonMessage leaves it: whatever else a malformed body
/// trips (a conversion, an allocation) fails the same way on every delivery.
template <typename Parse>
auto poisonOnAnyError(Parse parse) -> decltype(parse()) {
    try {
        return parse();
    } catch (const PoisonMessage&) {
        throw;
    } catch (const std::exception& error) {
        throw PoisonMessage(std::string("body cannot be read: ") + error.what());
    }
}

}  // namespace

OrderCreated parseOrderCreated(const std::string& body) {
    return poisonOnAnyError([&] {
        const auto object = parseObject(body);
        return OrderCreated{rowId(*object, "id"), customerId(*object)};
    });
}

CustomerRequested parseCustomerRequested(const std::string& body) {
    return poisonOnAnyError([&] {
        const auto object = parseObject(body);
        return CustomerRequested{rowId(*object, "id"), customerId(*object)};
    });
}

CustomerDetailed parseCustomerDetailed(const std::string& body) {
    return poisonOnAnyError([&] {
        const auto object = parseObject(body);
        CustomerDetailed event;
        event.shipping = rowId(*object, "id");
        if (!object->has("customer")) {
            throw PoisonMessage("field \"customer\" is missing");
        }
        if (object->get("customer").type() != typeid(Poco::JSON::Object::Ptr)) {
            throw PoisonMessage("field \"customer\" is not an object");
        }
        const auto customer = object->getObject("customer");
        // {} is the original's "no such customer"; any email and address it stored are taken as
        // they are (Django's EmailValidator accepts forms such as user@[::1]).
        if (customer->size() > 0) {
            event.customer = CustomerDetail{requiredString(*customer, "email"), requiredString(*customer, "address")};
        }
        return event;
    });
}

ShippingUpdated parseShippingUpdated(const std::string& body) {
    return poisonOnAnyError([&] {
        const auto object = parseObject(body);
        ShippingUpdated event;
        event.shipping = rowId(*object, "id");
        event.order = rowId(*object, "order");
        const std::int64_t status = integerField(*object, "status", std::numeric_limits<std::int64_t>::min(),
                                                 std::numeric_limits<std::int64_t>::max());
        if (status != 1 && status != 2) {
            throw PoisonMessage("field \"status\" must be 1 (SUCCESS) or 2 (FAIL)");
        }
        event.status = static_cast<int>(status);
        return event;
    });
}

std::string render(const CustomerRequested& event) {
    Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
    object.set("id", event.shipping);
    object.set("customer", event.customer);
    return stringify(object);
}

std::string render(const CustomerDetailed& event) {
    Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
    object.set("id", event.shipping);
    Poco::JSON::Object::Ptr customer = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (event.customer) {
        customer->set("email", event.customer->email);
        customer->set("address", event.customer->address);
    }
    object.set("customer", customer);
    return stringify(object);
}

std::string render(const ShippingUpdated& event) {
    Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
    object.set("id", event.shipping);
    object.set("order", event.order);
    object.set("status", event.status);
    return stringify(object);
}

}  // namespace micro_order::consumers
