#include "rest/json_body.hpp"

#include <gtest/gtest.h>

namespace micro_order::rest {
namespace {

Request jsonRequest(std::string body, std::string contentType = "application/json") {
    Request request;
    request.method = "POST";
    request.body = std::move(body);
    request.contentType = std::move(contentType);
    return request;
}

// The status and detail of the HttpError parseJsonObject throws for `request`.
std::pair<int, std::string> parseError(const Request& request) {
    try {
        parseJsonObject(request);
    } catch (const HttpError& error) {
        EXPECT_TRUE(error.body().empty());
        return {error.status(), error.what()};
    }
    return {0, "no error"};
}

TEST(ParseJsonObject, ReturnsTheObject) {
    const auto object = parseJsonObject(jsonRequest(R"({"email": "user@email.com", "n": 1})"));
    EXPECT_EQ(object->getValue<std::string>("email"), "user@email.com");
    EXPECT_EQ(object->getValue<int>("n"), 1);
}

TEST(ParseJsonObject, KeepsUtf8Text) {
    const auto object = parseJsonObject(jsonRequest(R"({"a": "Rua São João, 12", "b": "\u00e9"})"));
    EXPECT_EQ(object->getValue<std::string>("a"), "Rua São João, 12");
    EXPECT_EQ(object->getValue<std::string>("b"), "é");
}

TEST(ParseJsonObject, TreatsAnEmptyBodyAsAnEmptyObjectWhateverItsType) {
    EXPECT_EQ(parseJsonObject(jsonRequest(""))->size(), 0u);
    EXPECT_EQ(parseJsonObject(jsonRequest("", ""))->size(), 0u);
    EXPECT_EQ(parseJsonObject(jsonRequest("", "text/plain"))->size(), 0u);
}

TEST(ParseJsonObject, RejectsOtherMediaTypesWith415) {
    EXPECT_EQ(parseError(jsonRequest("{}", "text/plain")),
              (std::pair<int, std::string>{415, "Unsupported media type \"text/plain\" in request."}));
    EXPECT_EQ(
        parseError(jsonRequest("{}", "application/x-www-form-urlencoded")),
        (std::pair<int, std::string>{415, "Unsupported media type \"application/x-www-form-urlencoded\" in request."}));
    EXPECT_EQ(parseError(jsonRequest("{}", "")),
              (std::pair<int, std::string>{415, "Unsupported media type \"\" in request."}));
}

TEST(ParseJsonObject, RejectsMalformedJsonWith400) {
    for (const auto* body : {"{", "{\"a\": }", "{'a': 1}", "{\"a\": 1,}", "{\"a\": 1} trailing", "nope", " ",
                             "{\"a\": \"\xff\"}", "{\"a\": 99999999999999999999}", "1, 2", "\"a\" \"b\"", "tru"}) {
        const auto [status, detail] = parseError(jsonRequest(body));
        EXPECT_EQ(status, 400) << body;
        EXPECT_EQ(detail.rfind("JSON parse error - ", 0), 0u) << body << ": " << detail;
        EXPECT_GT(detail.size(), std::string("JSON parse error - ").size()) << body;
    }
}

TEST(ParseJsonObject, RejectsAnIntegerBeyond64BitsInsteadOfWrappingItAround) {
    // Poco alone reads 18446744073709551617 as 1: an order for customer 1.
    EXPECT_EQ(parseError(jsonRequest(R"({"customer": 18446744073709551617})")),
              (std::pair<int, std::string>{400, "JSON parse error - integer 18446744073709551617 is too large."}));
    EXPECT_EQ(parseError(jsonRequest(R"({"customer": -9223372036854775809})")).first, 400);
    EXPECT_EQ(parseJsonObject(jsonRequest(R"({"customer": "18446744073709551617"})"))->size(), 1u);
}

TEST(ParseJsonObject, RejectsJsonThatIsNotAnObjectWith400) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"[1, 2]", "list"}, {"\"text\"", "str"}, {"12", "int"},
        {"1.5", "float"},   {"true", "bool"},    {"null", "NoneType"},
    };
    for (const auto& [body, type] : cases) {
        EXPECT_EQ(parseError(jsonRequest(body)),
                  (std::pair<int, std::string>{400, "Invalid data. Expected a dictionary, but got " + type + "."}))
            << body;
    }
}

TEST(ParseJsonObject, RefusesAnArrayFromItsFirstByteWithoutParsingIt) {
    // Not JSON past the `[`: only a parser that never ran can call it a list.
    for (const auto* body : {"[", "  [not json at all", "\n[{},{},{}"}) {
        EXPECT_EQ(parseError(jsonRequest(body)),
                  (std::pair<int, std::string>{400, "Invalid data. Expected a dictionary, but got list."}))
            << body;
    }
}

TEST(ParseJsonObject, RefusesAMebibyteOfEmptyObjectsInAnArray) {
    std::string body = "[";
    while (body.size() < (1u << 20)) {
        body += "{},";
    }
    body += "{}]";
    EXPECT_EQ(parseError(jsonRequest(body)),
              (std::pair<int, std::string>{400, "Invalid data. Expected a dictionary, but got list."}));
}

TEST(ParseJsonObject, RefusesSeveralValuesAsAParseErrorWithoutParsingThem) {
    // Older code parsed "1,{},{}" as the elements of an array: one node per element.
    for (const auto* body : {"1,{},{}", "\"a\",{}", "null {}"}) {
        const auto [status, detail] = parseError(jsonRequest(body));
        EXPECT_EQ(status, 400) << body;
        EXPECT_EQ(detail, "JSON parse error - Expecting a JSON object at char 0.") << body;
    }
}

TEST(ParseJsonObject, NamesScalarsLikeDrfWhateverTheirSpelling) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {" -0 ", "int"}, {"1e5", "float"}, {"-2.5E-3", "float"}, {R"("a \" b")", "str"}, {"\tfalse\n", "bool"},
    };
    for (const auto& [body, type] : cases) {
        EXPECT_EQ(parseError(jsonRequest(body)),
                  (std::pair<int, std::string>{400, "Invalid data. Expected a dictionary, but got " + type + "."}))
            << body;
    }
    for (const auto* body : {"01", "1.", "-", ".5", "1e", "\"open"}) {
        EXPECT_EQ(parseError(jsonRequest(body)).second.rfind("JSON parse error - ", 0), 0u) << body;
    }
}

TEST(ToJson, IsCompactKeepsFieldOrderAndLeavesUtf8AndSlashesAlone) {
    auto object = makeOrderedObject();
    object->set("id", 1);
    object->set("email", "a/b@x.com");
    object->set("address", "São \"Paulo\"\n");
    EXPECT_EQ(toJson(*object), R"({"id":1,"email":"a/b@x.com","address":"São \"Paulo\"\n"})");
}

}  // namespace
}  // namespace micro_order::rest
