#include "rest/testing/openapi_checks.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace micro_order::rest::testing {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

const std::set<std::string> kMethods{"get", "put", "post", "delete", "options", "head", "patch", "trace"};

// The object a local reference (#/a/b) points at, or null.
Object::Ptr resolve(const Object& document, const std::string& pointer) {
    if (pointer.rfind("#/", 0) != 0) {
        return nullptr;
    }
    Object::Ptr current = new Object(document);
    std::istringstream parts(pointer.substr(2));
    std::string part;
    while (current && std::getline(parts, part, '/')) {
        current = current->has(part) && current->isObject(part) ? current->getObject(part) : nullptr;
    }
    return current;
}

// `value` itself, or what its $ref points at.
Object::Ptr dereference(const Object& document, const Object::Ptr& value) {
    if (value && value->has("$ref")) {
        return resolve(document, value->getValue<std::string>("$ref"));
    }
    return value;
}

void collectRefs(const Poco::Dynamic::Var& value, std::vector<std::string>& refs) {
    if (value.type() == typeid(Object::Ptr)) {
        const auto object = value.extract<Object::Ptr>();
        for (const auto& name : keysOf(*object)) {
            if (name == "$ref" && object->get(name).isString()) {
                refs.push_back(object->getValue<std::string>(name));
            } else {
                collectRefs(object->get(name), refs);
            }
        }
    } else if (value.type() == typeid(Array::Ptr)) {
        const auto array = value.extract<Array::Ptr>();
        for (std::size_t i = 0; i < array->size(); ++i) {
            collectRefs(array->get(static_cast<unsigned>(i)), refs);
        }
    }
}

std::set<std::string> templateParameters(const std::string& path) {
    std::set<std::string> names;
    std::size_t open = 0;
    while ((open = path.find('{', open)) != std::string::npos) {
        const auto close = path.find('}', open);
        names.insert(path.substr(open + 1, close - open - 1));
        open = close;
    }
    return names;
}

void checkOperation(const Object& document, const std::string& route, const std::string& path, const Object& operation,
                    std::set<std::string>& operationIds, std::vector<std::string>& problems) {
    if (!operation.has("operationId")) {
        problems.push_back(route + ": no operationId");
    } else if (!operationIds.insert(operation.getValue<std::string>("operationId")).second) {
        problems.push_back(route + ": operationId repeated");
    }
    if (!operation.has("summary")) {
        problems.push_back(route + ": no summary");
    }
    std::set<std::string> pathParameters;
    if (const auto parameters = operation.getArray("parameters")) {
        for (std::size_t i = 0; i < parameters->size(); ++i) {
            const auto parameter = dereference(document, parameters->getObject(static_cast<unsigned>(i)));
            if (!parameter) {
                continue;  // reported with the references
            }
            if (parameter->optValue<std::string>("in", "") == "path") {
                if (!parameter->optValue("required", false)) {
                    problems.push_back(route + ": path parameter not required");
                }
                pathParameters.insert(parameter->getValue<std::string>("name"));
            }
        }
    }
    if (pathParameters != templateParameters(path)) {
        problems.push_back(route + ": path parameters do not match the template");
    }
    const auto responses = operation.getObject("responses");
    if (!responses) {
        problems.push_back(route + ": no responses");
        return;
    }
    bool success = false;
    for (const auto& status : keysOf(*responses)) {
        success = success || status.front() == '2';
        const auto response = dereference(document, responses->getObject(status));
        if (response && !response->has("description")) {
            problems.push_back(route + " " + status + ": no description");
        }
    }
    if (!success) {
        problems.push_back(route + ": no 2xx response");
    }
}

}  // namespace

Object::Ptr reparse(const Object& document) {
    std::ostringstream text;
    document.stringify(text);
    return parseObject(text.str());
}

Object::Ptr parseObject(const std::string& text) {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    return parser.parse(text).extract<Object::Ptr>();
}

std::vector<std::string> documentedRoutes(const Object& document) {
    std::vector<std::string> routes;
    const auto paths = document.getObject("paths");
    for (const auto& path : keysOf(*paths)) {
        for (const auto& method : keysOf(*paths->getObject(path))) {
            if (kMethods.count(method) != 0) {
                routes.push_back(Poco::toUpper(method) + " " + path);
            }
        }
    }
    std::sort(routes.begin(), routes.end());
    return routes;
}

std::vector<std::string> sortedRoutes(std::vector<std::string> routes, const std::string& except) {
    routes.erase(std::remove(routes.begin(), routes.end(), except), routes.end());
    std::sort(routes.begin(), routes.end());
    return routes;
}

std::vector<std::string> keysOf(const Object& object) {
    std::vector<std::string> names;
    object.getNames(names);
    return names;
}

std::vector<std::string> documentProblems(const Object& document) {
    std::vector<std::string> problems;
    if (document.optValue<std::string>("openapi", "").rfind("3.0.", 0) != 0) {
        problems.push_back("openapi is not 3.0.x");
    }
    const auto info = document.getObject("info");
    if (!info || !info->has("title") || !info->has("version")) {
        problems.push_back("info needs a title and a version");
    }
    std::vector<std::string> refs;
    collectRefs(Object::Ptr(new Object(document)), refs);
    for (const auto& ref : refs) {
        if (!resolve(document, ref)) {
            problems.push_back("unresolved $ref " + ref);
        }
    }
    const auto paths = document.getObject("paths");
    if (!paths || paths->size() == 0) {
        problems.push_back("no paths");
        return problems;
    }
    std::set<std::string> operationIds;
    for (const auto& path : keysOf(*paths)) {
        const auto item = paths->getObject(path);
        for (const auto& method : keysOf(*item)) {
            if (kMethods.count(method) != 0) {
                checkOperation(document, Poco::toUpper(method) + " " + path, path, *item->getObject(method),
                               operationIds, problems);
            }
        }
    }
    return problems;
}

}  // namespace micro_order::rest::testing
