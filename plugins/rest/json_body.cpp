#include "rest/json_body.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "rest/json_numbers.hpp"

namespace micro_order::rest {

namespace {

// The Python type name DRF puts in "Expected a dictionary, but got <type>.".
std::string pythonTypeName(const Poco::Dynamic::Var& value) {
    if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
        return "list";
    }
    if (value.isEmpty()) {
        return "NoneType";
    }
    if (value.type() == typeid(bool)) {
        return "bool";
    }
    if (value.isString()) {
        return "str";
    }
    if (value.isInteger()) {
        return "int";
    }
    return "float";
}

// Poco 1.11 parses only an object or an array at the top level; a scalar document is parsed
// as the one element of an array so that it can be named in the 400 answer.
Poco::Dynamic::Var parseJsonValue(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || text[first] == '{' || text[first] == '[') {
        return Poco::JSON::Parser().parse(text);
    }
    const auto wrapped = Poco::JSON::Parser().parse("[" + text + "]").extract<Poco::JSON::Array::Ptr>();
    if (wrapped->size() != 1) {
        throw Poco::JSON::JSONException("Extra data after the JSON value.");
    }
    return wrapped->get(0);
}

}  // namespace

Poco::JSON::Object::Ptr parseJsonObject(const Request& request) {
    if (request.body.empty()) {
        return makeOrderedObject();
    }
    if (request.contentType != "application/json") {
        throw HttpError(415, "Unsupported media type \"" + request.contentType + "\" in request.");
    }
    // Poco would wrap such a literal around into another number (another customer id).
    if (const auto beyond = firstIntegerBeyondInt64(request.body)) {
        throw HttpError(400, "JSON parse error - integer " + *beyond + " is too large.");
    }
    Poco::Dynamic::Var parsed;
    try {
        parsed = parseJsonValue(request.body);
    } catch (const Poco::Exception& error) {
        throw HttpError(400, "JSON parse error - " + error.message());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
        throw HttpError(400, "Invalid data. Expected a dictionary, but got " + pythonTypeName(parsed) + ".");
    }
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr makeOrderedObject() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string toJson(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

}  // namespace micro_order::rest
