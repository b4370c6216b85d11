#pragma once

// What the OpenAPI 3.0 documents of the REST services share: the document's frame, the error
// shapes every listener answers with ({"detail": …} and DRF's {"field": [...]}), the pagination
// parameters of the lists, and the GET /openapi.json route that serves a document.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <initializer_list>
#include <micro_order/http.hpp>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace micro_order::rest::openapi {

/// The OpenAPI version the documents follow.
inline constexpr std::string_view kOpenApiVersion = "3.0.3";

/// Where a service serves its own document.
inline constexpr std::string_view kDocumentPath = "/openapi.json";

/// A new document: openapi, info (title "micro-order <service>", the project's version), empty
/// paths, and components holding what every service shares:
/// - schemas `Error` {"detail": "…"} and `ValidationError` {"field": ["message", …]};
/// - parameters `Id` (path), `Limit` and `Offset` (query);
/// - responses `InvalidBody` (400), `InvalidQuery` (400), `NotFound` (404),
///   `MethodNotAllowed` (405), `PayloadTooLarge` (413) and `UnsupportedMediaType` (415).
Poco::JSON::Object::Ptr newDocument(const std::string& service, const std::string& description);

/// The document's components.schemas, to add the service's own.
Poco::JSON::Object& schemas(Poco::JSON::Object& document);

/// Sets `operation` as paths[path][method] (method lower-cased), creating the path item.
void addOperation(Poco::JSON::Object& document, const std::string& method, const std::string& path,
                  const Poco::JSON::Object::Ptr& operation);

/// An object that keeps its keys in insertion order (the page shows them in that order).
Poco::JSON::Object::Ptr object();
/// A JSON array of the given strings.
Poco::JSON::Array::Ptr strings(std::initializer_list<std::string_view> values);
Poco::JSON::Array::Ptr strings(std::span<const std::string_view> values);

/// {"$ref": "#/components/<kind>/<name>"} for kind schemas, parameters or responses.
Poco::JSON::Object::Ptr schemaRef(const std::string& name);
Poco::JSON::Object::Ptr parameterRef(const std::string& name);
Poco::JSON::Object::Ptr responseRef(const std::string& name);

/// {"type": "integer", "format": "int64", "minimum": 1}: a row id.
Poco::JSON::Object::Ptr idSchema();
/// {"type": "string", "enum": [...]}.
Poco::JSON::Object::Ptr enumSchema(std::span<const std::string_view> choices);
/// {"type": "string", "format": "date-time"}: RFC 3339 in UTC with microseconds.
Poco::JSON::Object::Ptr timestampSchema();

/// An optional query filter: `?name=`; an absent or empty value does not filter.
Poco::JSON::Object::Ptr queryFilter(const std::string& name, const std::string& description,
                                    const Poco::JSON::Object::Ptr& schema);

/// The parameters of a paginated list: Limit, Offset, then `filters`.
Poco::JSON::Array::Ptr listParameters(std::initializer_list<Poco::JSON::Object::Ptr> filters = {});
/// The parameters of GET /things/{id}/: Id.
Poco::JSON::Array::Ptr idParameters();

/// A response with an application/json body of `schema`.
Poco::JSON::Object::Ptr jsonResponse(const std::string& description, const Poco::JSON::Object::Ptr& schema);
/// 200 of a list: a JSON array of `itemSchema` objects, with the Link header of the next page.
Poco::JSON::Object::Ptr listResponse(const std::string& description, const std::string& itemSchema);
/// A required application/json request body of `schema`.
Poco::JSON::Object::Ptr jsonRequestBody(const std::string& description, const Poco::JSON::Object::Ptr& schema);

/// An operation's responses: status code → response object (or responseRef), in this order.
Poco::JSON::Object::Ptr responses(std::initializer_list<std::pair<std::string, Poco::JSON::Object::Ptr>> byStatus);

/// An operation: tags [tag], operationId, summary, description (when not empty).
Poco::JSON::Object::Ptr operation(const std::string& tag, const std::string& operationId, const std::string& summary,
                                  const std::string& description = "");

/// Registers GET /openapi.json on `router`, answering with `document` as compact JSON (rendered
/// once, here).
void addOpenApiRoute(Router& router, const Poco::JSON::Object& document);

}  // namespace micro_order::rest::openapi
