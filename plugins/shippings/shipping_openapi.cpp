#include "shippings/shipping_openapi.hpp"

#include "rest/openapi_common.hpp"
#include "shippings/shipping.hpp"

namespace micro_order::shippings {

namespace {

namespace openapi = rest::openapi;
using Poco::JSON::Object;

Object::Ptr described(Object::Ptr schema, const std::string& description) {
    schema->set("description", description);
    return schema;
}

Object::Ptr shippingSchema() {
    auto properties = openapi::object();
    properties->set("id", openapi::idSchema());
    properties->set("order", described(openapi::idSchema(), "The order's id: one shipping per order."));
    properties->set("shipped_at", described(openapi::timestampSchema(), "When the shipping was made (UTC)."));
    properties->set("status", described(openapi::enumSchema(kShippingStatusNames),
                                        "PROCESSING until the customer is looked up: SUCCESS, or FAIL when the "
                                        "customer is unknown."));
    auto schema = openapi::object();
    schema->set("type", "object");
    schema->set("required", openapi::strings({"id", "order", "shipped_at", "status"}));
    schema->set("properties", properties);
    return schema;
}

Object::Ptr listShippings() {
    auto operation = openapi::operation("shippings", "listShippings", "List shippings",
                                        "In id order, a page at a time. Only the workflow creates shippings.");
    operation->set(
        "parameters",
        openapi::listParameters({
            openapi::queryFilter("status", "Only shippings in this status.", openapi::enumSchema(kShippingStatusNames)),
            openapi::queryFilter("order", "Only the shipping of this order.", openapi::idSchema()),
        }));
    operation->set("responses", openapi::responses({
                                    {"200", openapi::listResponse("A page of shippings.", "Shipping")},
                                    {"400", openapi::responseRef("InvalidQuery")},
                                    {"405", openapi::responseRef("MethodNotAllowed")},
                                }));
    return operation;
}

Object::Ptr getShipping() {
    auto operation = openapi::operation("shippings", "getShipping", "Get one shipping");
    operation->set("parameters", openapi::idParameters());
    operation->set("responses", openapi::responses({
                                    {"200", openapi::jsonResponse("The shipping.", openapi::schemaRef("Shipping"))},
                                    {"404", openapi::responseRef("NotFound")},
                                    {"405", openapi::responseRef("MethodNotAllowed")},
                                }));
    return operation;
}

}  // namespace

Object::Ptr shippingOpenApi() {
    auto document = openapi::newDocument(
        "shippings", "Shippings, read-only: the workflow makes one for each new order and settles it.");
    openapi::schemas(*document).set("Shipping", shippingSchema());
    openapi::addOperation(*document, "GET", "/shippings/", listShippings());
    openapi::addOperation(*document, "GET", "/shippings/{id}/", getShipping());
    return document;
}

}  // namespace micro_order::shippings
