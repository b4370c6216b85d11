#pragma once

// JSON request bodies in, JSON responses out, with DRF's 400/415 answers for bodies it cannot
// use.

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <micro_order/http.hpp>
#include <string>

namespace micro_order::rest {

/// The body limit the services' JSON routes declare (RouteOptions::maxBodyBytes): their bodies
/// are a few fields, so anything larger is refused (413) before it costs memory.
inline constexpr std::size_t kMaxJsonBodyBytes = 16 * 1024;

/// The request body as a JSON object.
/// - An empty body is an empty object (as DRF does), so the fields are reported as required.
/// - A body that is not application/json: HttpError 415
///   {"detail": "Unsupported media type \"text/plain\" in request."}.
/// - Malformed JSON (or not UTF-8): HttpError 400 {"detail": "JSON parse error - <reason>"}.
/// - A body whose first non-space byte is not `{`: HttpError 400
///   {"detail": "Invalid data. Expected a dictionary, but got <type>."} (or a parse error when it
///   is no JSON value at all), decided from its bytes without parsing them: `[{},{},…]` costs
///   nothing.
Poco::JSON::Object::Ptr parseJsonObject(const Request& request);

/// A JSON object that keeps the order in which fields are set, as DRF's serializers do.
Poco::JSON::Object::Ptr makeOrderedObject();

/// Compact JSON text, non-ASCII characters left as UTF-8.
std::string toJson(const Poco::JSON::Object& object);

}  // namespace micro_order::rest
