#include "rest/json_body.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <sstream>
#include <string_view>

#include "rest/json_numbers.hpp"

namespace micro_order::rest {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

/// The JSON number grammar (RFC 8259 §6); sets `integral` when there is no fraction or exponent.
bool isJsonNumber(std::string_view text, bool& integral) {
    std::size_t i = 0;
    const auto digits = [&] {
        const std::size_t from = i;
        while (i < text.size() && isDigit(text[i])) {
            ++i;
        }
        return i > from;
    };
    if (i < text.size() && text[i] == '-') {
        ++i;
    }
    if (i < text.size() && text[i] == '0') {
        ++i;
    } else if (!digits()) {
        return false;
    }
    integral = true;
    if (i < text.size() && text[i] == '.') {
        ++i;
        integral = false;
        if (!digits()) {
            return false;
        }
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        integral = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
            ++i;
        }
        if (!digits()) {
            return false;
        }
    }
    return i == text.size();
}

/// One JSON string and nothing after it (escapes skipped, not checked).
bool isJsonString(std::string_view text) {
    if (text.size() < 2 || text.front() != '"') {
        return false;
    }
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
        } else if (text[i] == '"') {
            return i + 1 == text.size();
        }
    }
    return false;
}

/// What DRF answers for a body whose first byte is not `{`, worked out without parsing it: the
/// Python type name of the value ("Expected a dictionary, but got list."), or a parse error.
/// An array is named from its `[` alone, so `[{},{},…]` costs nothing however long it is.
std::string notAnObjectDetail(std::string_view body, std::size_t first) {
    const auto last = body.find_last_not_of(" \t\r\n");
    const std::string_view value = body.substr(first, last + 1 - first);
    const auto got = [](const char* type) {
        return std::string("Invalid data. Expected a dictionary, but got ") + type + ".";
    };
    bool integral = false;
    if (value.front() == '[') {
        return got("list");
    }
    if (value == "null") {
        return got("NoneType");
    }
    if (value == "true" || value == "false") {
        return got("bool");
    }
    if (isJsonString(value)) {
        return got("str");
    }
    if (isJsonNumber(value, integral)) {
        return got(integral ? "int" : "float");
    }
    return "JSON parse error - Expecting a JSON object at char " + std::to_string(first) + ".";
}

}  // namespace

Poco::JSON::Object::Ptr parseJsonObject(const Request& request) {
    if (request.body.empty()) {
        return makeOrderedObject();
    }
    if (request.contentType != "application/json") {
        throw HttpError(415, "Unsupported media type \"" + request.contentType + "\" in request.");
    }
    // Decided before any parsing: Poco builds a node per element, so a body that cannot be an
    // object would otherwise cost many times its size in memory for an answer known now.
    const auto first = request.body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && request.body[first] != '{') {
        throw HttpError(400, notAnObjectDetail(request.body, first));
    }
    // Poco would wrap such a literal around into another number (another customer id).
    if (const auto beyond = firstIntegerBeyondInt64(request.body)) {
        throw HttpError(400, "JSON parse error - integer " + *beyond + " is too large.");
    }
    Poco::Dynamic::Var parsed;
    try {
        parsed = Poco::JSON::Parser().parse(request.body);
    } catch (const Poco::Exception& error) {
        throw HttpError(400, "JSON parse error - " + error.message());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
        throw HttpError(400, "JSON parse error - Expecting a JSON object.");
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
