#pragma once

// Test support for the services' OpenAPI documents: what a document lists, and what is wrong
// with it, so each service's test compares its document with the routes it registers.

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace micro_order::rest::testing {

/// The document as a client gets it: rendered to JSON and parsed back (keys in order).
Poco::JSON::Object::Ptr reparse(const Poco::JSON::Object& document);

/// A JSON object parsed from text, keys in order (e.g. a response body).
Poco::JSON::Object::Ptr parseObject(const std::string& text);

/// "METHOD /path" of every operation, sorted.
std::vector<std::string> documentedRoutes(const Poco::JSON::Object& document);

/// The routes a RecordingRouter holds, sorted, without `except` (e.g. "GET /openapi.json").
std::vector<std::string> sortedRoutes(std::vector<std::string> routes, const std::string& except = "");

/// The keys of an object in their order.
std::vector<std::string> keysOf(const Poco::JSON::Object& object);

/// What is wrong with an OpenAPI 3.0 document, one line each (empty when nothing is):
/// openapi is not 3.0.x; info lacks title or version; a $ref is not local or resolves to
/// nothing; a path's {parameter} has no required `in: path` parameter of that name in one of its
/// operations (or one is declared that the path lacks); an operation lacks an operationId (or
/// repeats one), a summary, or a 2xx response; a response lacks a description.
std::vector<std::string> documentProblems(const Poco::JSON::Object& document);

}  // namespace micro_order::rest::testing
