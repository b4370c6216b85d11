#include "customers/customer_openapi.hpp"

#include "customers/customer_validation.hpp"
#include "rest/openapi_common.hpp"

namespace micro_order::customers {

namespace {

namespace openapi = rest::openapi;
using Poco::JSON::Object;

Object::Ptr text(std::size_t maxLength, const std::string& description) {
    auto schema = openapi::object();
    schema->set("type", "string");
    schema->set("maxLength", maxLength);
    schema->set("description", description);
    return schema;
}

Object::Ptr email(const std::string& description) {
    auto schema = text(kMaxEmailLength, description);
    schema->set("format", "email");
    return schema;
}

Object::Ptr customerSchema() {
    auto properties = openapi::object();
    properties->set("id", openapi::idSchema());
    properties->set("email", email("As given, trimmed."));
    properties->set("address", text(kMaxAddressLength, "As given, trimmed."));
    auto schema = openapi::object();
    schema->set("type", "object");
    schema->set("required", openapi::strings({"id", "email", "address"}));
    schema->set("properties", properties);
    return schema;
}

Object::Ptr newCustomerSchema() {
    auto address = text(kMaxAddressLength, "Trimmed; may not be blank.");
    address->set("minLength", 1);
    address->set("example", "Moutain View, 33");
    auto mail = email("A valid address (Django's EmailValidator), trimmed.");
    mail->set("example", "user@email.com");
    auto properties = openapi::object();
    properties->set("email", mail);
    properties->set("address", address);
    auto schema = openapi::object();
    schema->set("type", "object");
    schema->set("required", openapi::strings({"email", "address"}));
    schema->set("properties", properties);
    return schema;
}

Object::Ptr createCustomer() {
    auto operation =
        openapi::operation("customers", "createCustomer", "Create a customer", "Unknown fields, and id, are ignored.");
    operation->set("requestBody", openapi::jsonRequestBody("The customer to add.", openapi::schemaRef("NewCustomer")));
    operation->set("responses", openapi::responses({
                                    {"201", openapi::jsonResponse("The new customer.", openapi::schemaRef("Customer"))},
                                    {"400", openapi::responseRef("InvalidBody")},
                                    {"405", openapi::responseRef("MethodNotAllowed")},
                                    {"413", openapi::responseRef("PayloadTooLarge")},
                                    {"415", openapi::responseRef("UnsupportedMediaType")},
                                }));
    return operation;
}

Object::Ptr listCustomers() {
    auto operation =
        openapi::operation("customers", "listCustomers", "List customers", "In id order, a page at a time.");
    operation->set("parameters", openapi::listParameters());
    operation->set("responses", openapi::responses({
                                    {"200", openapi::listResponse("A page of customers.", "Customer")},
                                    {"400", openapi::responseRef("InvalidQuery")},
                                    {"405", openapi::responseRef("MethodNotAllowed")},
                                }));
    return operation;
}

Object::Ptr getCustomer() {
    auto operation = openapi::operation("customers", "getCustomer", "Get one customer");
    operation->set("parameters", openapi::idParameters());
    operation->set("responses", openapi::responses({
                                    {"200", openapi::jsonResponse("The customer.", openapi::schemaRef("Customer"))},
                                    {"404", openapi::responseRef("NotFound")},
                                    {"405", openapi::responseRef("MethodNotAllowed")},
                                }));
    return operation;
}

}  // namespace

Object::Ptr customerOpenApi() {
    auto document = openapi::newDocument(
        "customers", "Customers: the workflow looks an order's customer up here to ship the order.");
    auto& schemas = openapi::schemas(*document);
    schemas.set("Customer", customerSchema());
    schemas.set("NewCustomer", newCustomerSchema());
    openapi::addOperation(*document, "POST", "/customers/", createCustomer());
    openapi::addOperation(*document, "GET", "/customers/", listCustomers());
    openapi::addOperation(*document, "GET", "/customers/{id}/", getCustomer());
    return document;
}

}  // namespace micro_order::customers
