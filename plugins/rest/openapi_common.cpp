#include "rest/openapi_common.hpp"

#include <Poco/String.h>

#include "rest/json_body.hpp"
#include "rest/pagination.hpp"

#ifndef MICRO_ORDER_VERSION
#error "MICRO_ORDER_VERSION must be defined (plugins/rest/CMakeLists.txt)"
#endif

namespace micro_order::rest::openapi {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr ref(const std::string& kind, const std::string& name) {
    auto result = object();
    result->set("$ref", "#/components/" + kind + "/" + name);
    return result;
}

Object::Ptr typed(const std::string& type) {
    auto result = object();
    result->set("type", type);
    return result;
}

Object::Ptr errorSchema() {
    auto detail = typed("string");
    detail->set("description", "What went wrong, for a person to read.");
    auto properties = object();
    properties->set("detail", detail);
    auto schema = typed("object");
    schema->set("description", "Any error but a validation failure.");
    schema->set("required", strings({"detail"}));
    schema->set("properties", properties);
    return schema;
}

Object::Ptr validationErrorSchema() {
    auto messages = typed("array");
    messages->set("items", typed("string"));
    auto example = object();
    example->set("email", strings({"Enter a valid email address."}));
    auto schema = typed("object");
    schema->set("description",
                "Django REST framework's validation failure: each bad field or query parameter with its messages, "
                "in the order they were checked.");
    schema->set("additionalProperties", messages);
    schema->set("example", example);
    return schema;
}

Object::Ptr idParameter() {
    auto parameter = object();
    parameter->set("name", "id");
    parameter->set("in", "path");
    parameter->set("required", true);
    parameter->set("description", "The row's id. Anything but a positive integer is 404.");
    parameter->set("schema", idSchema());
    return parameter;
}

Object::Ptr pageParameter(const std::string& name, const std::string& description, std::int64_t minimum,
                          std::int64_t byDefault, std::int64_t maximum) {
    auto schema = typed("integer");
    schema->set("format", "int64");
    schema->set("minimum", minimum);
    if (maximum > 0) {
        schema->set("maximum", maximum);
    }
    schema->set("default", byDefault);
    auto parameter = object();
    parameter->set("name", name);
    parameter->set("in", "query");
    parameter->set("required", false);
    parameter->set("description", description);
    parameter->set("schema", schema);
    return parameter;
}

Object::Ptr detailExample(const std::string& detail) {
    auto example = object();
    example->set("detail", detail);
    return example;
}

Object::Ptr errorResponse(const std::string& description, const std::string& exampleDetail) {
    auto response = jsonResponse(description, schemaRef("Error"));
    response->getObject("content")->getObject("application/json")->set("example", detailExample(exampleDetail));
    return response;
}

Object::Ptr invalidBodyResponse() {
    Array::Ptr oneOf = new Array;
    oneOf->add(schemaRef("ValidationError"));
    oneOf->add(schemaRef("Error"));
    auto schema = object();
    schema->set("oneOf", oneOf);
    return jsonResponse(
        "A field is missing or invalid ({\"field\": [\"message\"]}), or the body is not a JSON object "
        "({\"detail\": \"JSON parse error - …\"}, {\"detail\": \"Invalid data. Expected a dictionary, but got "
        "list.\"}).",
        schema);
}

Object::Ptr invalidQueryResponse() {
    auto response = jsonResponse("A query parameter is invalid; each bad one is listed with its messages.",
                                 schemaRef("ValidationError"));
    auto example = object();
    example->set("limit", strings({"Ensure this value is less than or equal to 1000."}));
    response->getObject("content")->getObject("application/json")->set("example", example);
    return response;
}

Object::Ptr methodNotAllowedResponse() {
    auto allow = object();
    allow->set("description", "The methods this path answers, e.g. \"GET, HEAD\".");
    allow->set("schema", typed("string"));
    auto headers = object();
    headers->set("Allow", allow);
    auto response = errorResponse("The path exists, but not with this method.", "Method \"DELETE\" not allowed.");
    response->set("headers", headers);
    return response;
}

}  // namespace

Object::Ptr object() { return makeOrderedObject(); }

Array::Ptr strings(std::initializer_list<std::string_view> values) {
    return strings(std::span<const std::string_view>(values.begin(), values.size()));
}

Array::Ptr strings(std::span<const std::string_view> values) {
    Array::Ptr array = new Array;
    for (const auto value : values) {
        array->add(std::string(value));
    }
    return array;
}

Object::Ptr schemaRef(const std::string& name) { return ref("schemas", name); }
Object::Ptr parameterRef(const std::string& name) { return ref("parameters", name); }
Object::Ptr responseRef(const std::string& name) { return ref("responses", name); }

Object::Ptr idSchema() {
    auto schema = typed("integer");
    schema->set("format", "int64");
    schema->set("minimum", 1);
    return schema;
}

Object::Ptr enumSchema(std::span<const std::string_view> choices) {
    auto schema = typed("string");
    schema->set("enum", strings(choices));
    return schema;
}

Object::Ptr timestampSchema() {
    auto schema = typed("string");
    schema->set("format", "date-time");
    schema->set("example", "2026-11-26T12:00:00.123456Z");
    return schema;
}

Object::Ptr newDocument(const std::string& service, const std::string& description) {
    auto info = object();
    info->set("title", "micro-order " + service);
    info->set("description", description);
    info->set("version", std::string(MICRO_ORDER_VERSION));

    auto schemaList = object();
    schemaList->set("Error", errorSchema());
    schemaList->set("ValidationError", validationErrorSchema());

    auto parameters = object();
    parameters->set("Id", idParameter());
    parameters->set("Limit", pageParameter("limit",
                                           "Rows per page. While more rows follow, the Link header points at the "
                                           "next page.",
                                           1, kDefaultLimit, kMaxLimit));
    parameters->set("Offset", pageParameter("offset", "Rows to skip, in id order.", 0, 0, 0));

    auto responses = object();
    responses->set("InvalidBody", invalidBodyResponse());
    responses->set("InvalidQuery", invalidQueryResponse());
    responses->set("NotFound", errorResponse("Nothing has this id.", "Not found."));
    responses->set("MethodNotAllowed", methodNotAllowedResponse());
    responses->set("PayloadTooLarge", errorResponse("The body is larger than the host's http.max_body_bytes.",
                                                    "Request body is larger than 1048576 bytes."));
    responses->set("UnsupportedMediaType", errorResponse("The body is not application/json.",
                                                         "Unsupported media type \"text/plain\" in request."));

    auto components = object();
    components->set("schemas", schemaList);
    components->set("parameters", parameters);
    components->set("responses", responses);

    auto document = object();
    document->set("openapi", std::string(kOpenApiVersion));
    document->set("info", info);
    document->set("paths", object());
    document->set("components", components);
    return document;
}

Object& schemas(Object& document) { return *document.getObject("components")->getObject("schemas"); }

void addOperation(Object& document, const std::string& method, const std::string& path, const Object::Ptr& operation) {
    auto paths = document.getObject("paths");
    auto item = paths->getObject(path);
    if (!item) {
        item = object();
        paths->set(path, item);
    }
    item->set(Poco::toLower(method), operation);
}

Object::Ptr queryFilter(const std::string& name, const std::string& description, const Object::Ptr& schema) {
    auto parameter = object();
    parameter->set("name", name);
    parameter->set("in", "query");
    parameter->set("required", false);
    parameter->set("description", description + " Absent or empty: no filter.");
    parameter->set("schema", schema);
    return parameter;
}

Array::Ptr listParameters(std::initializer_list<Object::Ptr> filters) {
    Array::Ptr parameters = new Array;
    parameters->add(parameterRef("Limit"));
    parameters->add(parameterRef("Offset"));
    for (const auto& filter : filters) {
        parameters->add(filter);
    }
    return parameters;
}

Array::Ptr idParameters() {
    Array::Ptr parameters = new Array;
    parameters->add(parameterRef("Id"));
    return parameters;
}

Object::Ptr jsonResponse(const std::string& description, const Object::Ptr& schema) {
    auto media = object();
    media->set("schema", schema);
    auto content = object();
    content->set("application/json", media);
    auto response = object();
    response->set("description", description);
    response->set("content", content);
    return response;
}

Object::Ptr listResponse(const std::string& description, const std::string& itemSchema) {
    auto array = typed("array");
    array->set("items", schemaRef(itemSchema));
    auto link = object();
    link->set("description", "<URL of the next page>; rel=\"next\", while more rows follow.");
    link->set("schema", typed("string"));
    auto headers = object();
    headers->set("Link", link);
    auto response = jsonResponse(description, array);
    response->set("headers", headers);
    return response;
}

Object::Ptr jsonRequestBody(const std::string& description, const Object::Ptr& schema) {
    auto media = object();
    media->set("schema", schema);
    auto content = object();
    content->set("application/json", media);
    auto body = object();
    body->set("description", description);
    body->set("required", true);
    body->set("content", content);
    return body;
}

Object::Ptr responses(std::initializer_list<std::pair<std::string, Object::Ptr>> byStatus) {
    auto result = object();
    for (const auto& [status, response] : byStatus) {
        result->set(status, response);
    }
    return result;
}

Object::Ptr operation(const std::string& tag, const std::string& operationId, const std::string& summary,
                      const std::string& description) {
    auto result = object();
    result->set("tags", strings({tag}));
    result->set("operationId", operationId);
    result->set("summary", summary);
    if (!description.empty()) {
        result->set("description", description);
    }
    return result;
}

void addOpenApiRoute(Router& router, const Object& document) {
    const std::string body = toJson(document);
    router.add("GET", std::string(kDocumentPath), [body](const Request&) { return Response::json(200, body); });
}

}  // namespace micro_order::rest::openapi
