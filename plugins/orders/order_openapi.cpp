#include "orders/order_openapi.hpp"

#include "orders/order.hpp"
#include "rest/openapi_common.hpp"

namespace micro_order::orders {

namespace {

namespace openapi = rest::openapi;
using Poco::JSON::Object;

Object::Ptr described(Object::Ptr schema, const std::string& description) {
    schema->set("description", description);
    return schema;
}

Object::Ptr orderSchema() {
    auto properties = openapi::object();
    properties->set("id", openapi::idSchema());
    properties->set("status", described(openapi::enumSchema(kOrderStatusNames),
                                        "PROCESSING until the workflow is through: SHIPPED, or CANCELLED when the "
                                        "customer is unknown."));
    properties->set("customer", described(openapi::idSchema(), "The customer's id, as given."));
    properties->set("made_at", described(openapi::timestampSchema(), "When the order was made (UTC)."));
    auto schema = openapi::object();
    schema->set("type", "object");
    schema->set("required", openapi::strings({"id", "status", "customer", "made_at"}));
    schema->set("properties", properties);
    return schema;
}

Object::Ptr newOrderSchema() {
    auto customer = described(openapi::idSchema(),
                              "The customer's id: an integer, or a string holding one. It is not checked here; the "
                              "workflow cancels an order whose customer does not exist.");
    customer->set("example", 1);
    customer->set("maximum", kMaxCustomerId);
    auto properties = openapi::object();
    properties->set("customer", customer);
    auto schema = openapi::object();
    schema->set("type", "object");
    schema->set("required", openapi::strings({"customer"}));
    schema->set("properties", properties);
    return schema;
}

Object::Ptr createOrder() {
    auto operation = openapi::operation(
        "orders", "createOrder", "Create an order",
        "Stores the order as PROCESSING and, in the same transaction, the orders.create message that starts the "
        "workflow.");
    operation->set("requestBody", openapi::jsonRequestBody("The order to make.", openapi::schemaRef("NewOrder")));
    operation->set("responses", openapi::responses({
                                    {"201", openapi::jsonResponse("The new order.", openapi::schemaRef("Order"))},
                                    {"400", openapi::responseRef("InvalidBody")},
                                    {"405", openapi::responseRef("MethodNotAllowed")},
                                    {"413", openapi::responseRef("PayloadTooLarge")},
                                    {"415", openapi::responseRef("UnsupportedMediaType")},
                                }));
    return operation;
}

Object::Ptr listOrders() {
    auto operation = openapi::operation("orders", "listOrders", "List orders", "In id order, a page at a time.");
    operation->set(
        "parameters",
        openapi::listParameters({
            openapi::queryFilter("status", "Only orders in this status.", openapi::enumSchema(kOrderStatusNames)),
            openapi::queryFilter("customer", "Only orders of this customer.", openapi::idSchema()),
        }));
    operation->set("responses", openapi::responses({
                                    {"200", openapi::listResponse("A page of orders.", "Order")},
                                    {"400", openapi::responseRef("InvalidQuery")},
                                    {"405", openapi::responseRef("MethodNotAllowed")},
                                }));
    return operation;
}

Object::Ptr getOrder() {
    auto operation = openapi::operation("orders", "getOrder", "Get one order");
    operation->set("parameters", openapi::idParameters());
    operation->set("responses", openapi::responses({
                                    {"200", openapi::jsonResponse("The order.", openapi::schemaRef("Order"))},
                                    {"404", openapi::responseRef("NotFound")},
                                    {"405", openapi::responseRef("MethodNotAllowed")},
                                }));
    return operation;
}

}  // namespace

Object::Ptr orderOpenApi() {
    auto document = openapi::newDocument(
        "orders", "Orders: making one starts the workflow that creates its shipping and ships or cancels it.");
    auto& schemas = openapi::schemas(*document);
    schemas.set("Order", orderSchema());
    schemas.set("NewOrder", newOrderSchema());
    openapi::addOperation(*document, "POST", "/orders/", createOrder());
    openapi::addOperation(*document, "GET", "/orders/", listOrders());
    openapi::addOperation(*document, "GET", "/orders/{id}/", getOrder());
    return document;
}

}  // namespace micro_order::orders
