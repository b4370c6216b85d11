#include "workflow_events.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <micro_order/messaging.hpp>
#include <sstream>

namespace micro_order::consumers {
namespace {

Poco::JSON::Object::Ptr parseObject(const std::string& body) {
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

/// A positive whole number. JSON numbers only: the original services never quote ids.
std::int64_t positiveId(const Poco::JSON::Object& object, const std::string& field) {
    if (!object.has(field)) {
        throw PoisonMessage("field \"" + field + "\" is missing");
    }
    const Poco::Dynamic::Var value = object.get(field);
    if (!value.isInteger() || value.isBoolean()) {
        throw PoisonMessage("field \"" + field + "\" is not an integer");
    }
    const std::int64_t id = value.convert<std::int64_t>();
    if (id < 1) {
        throw PoisonMessage("field \"" + field + "\" must be at least 1");
    }
    return id;
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

}  // namespace

OrderCreated parseOrderCreated(const std::string& body) {
    const auto object = parseObject(body);
    return {positiveId(*object, "id"), positiveId(*object, "customer")};
}

CustomerRequested parseCustomerRequested(const std::string& body) {
    const auto object = parseObject(body);
    return {positiveId(*object, "id"), positiveId(*object, "customer")};
}

CustomerDetailed parseCustomerDetailed(const std::string& body) {
    const auto object = parseObject(body);
    CustomerDetailed event;
    event.shipping = positiveId(*object, "id");
    if (!object->has("customer")) {
        throw PoisonMessage("field \"customer\" is missing");
    }
    const auto customer = object->getObject("customer");
    if (!customer) {
        throw PoisonMessage("field \"customer\" is not an object");
    }
    if (customer->size() > 0) {
        event.customer = CustomerDetail{requiredString(*customer, "email"), requiredString(*customer, "address")};
    }
    return event;
}

ShippingUpdated parseShippingUpdated(const std::string& body) {
    const auto object = parseObject(body);
    ShippingUpdated event;
    event.shipping = positiveId(*object, "id");
    event.order = positiveId(*object, "order");
    const std::int64_t status = positiveId(*object, "status");
    if (status != 1 && status != 2) {
        throw PoisonMessage("field \"status\" must be 1 (SUCCESS) or 2 (FAIL)");
    }
    event.status = static_cast<int>(status);
    return event;
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
