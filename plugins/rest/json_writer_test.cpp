#include "rest/json_writer.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "rest/json_body.hpp"

namespace micro_order::rest {
namespace {

// What the Poco rendering this writer replaced gives for {"k": value}.
template <class Value>
std::string pocoObject(const Value& value) {
    auto object = makeOrderedObject();
    object->set("k", value);
    return toJson(*object);
}

std::string writtenObject(std::string_view value) {
    std::string out;
    JsonObjectWriter(out).field("k", value).end();
    return out;
}

std::string writtenObject(std::int64_t value) {
    std::string out;
    JsonObjectWriter(out).field("k", value).end();
    return out;
}

TEST(AppendJsonString, EscapesEveryAsciiByteAsPocoDoes) {
    for (int byte = 0; byte < 0x80; ++byte) {
        const std::string text(1, static_cast<char>(byte));
        EXPECT_EQ(writtenObject(text), pocoObject(text)) << "byte " << byte;
    }
}

TEST(AppendJsonString, MatchesPocoOnQuotesSlashesAndUtf8) {
    const std::vector<std::string> texts{
        "",
        "São \"Paulo\"\n",
        "a\\b/c//d\\/",
        "emoji 😀 and 日本語",
        "\"\"\\\\",
        "tab\there\r\n",
        "mixed \x01\x1F\x7F \xC3\xA9",
        "invalid utf-8 \xFF\x80\xC3",
        std::string("embedded\0nul", 12),
    };
    for (const auto& text : texts) {
        EXPECT_EQ(writtenObject(text), pocoObject(text)) << text;
    }
}

TEST(AppendJsonString, WritesControlCharactersAsShortOrUpperCaseHexEscapes) {
    std::string out;
    appendJsonString(out, "\x08\x0C\x0A\x0D\x09\x0B\x1A/\x7F");
    EXPECT_EQ(out, "\"\\b\\f\\n\\r\\t\\u000B\\u001A/\x7F\"");
}

TEST(AppendJsonInt, MatchesPocoIncludingTheInt64Limits) {
    const std::vector<std::int64_t> values{
        0, 1, -1, 42, -987654321, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()};
    for (const auto value : values) {
        EXPECT_EQ(writtenObject(value), pocoObject(value)) << value;
    }
}

TEST(JsonObjectWriter, WritesFieldsInOrderLikeAnOrderedPocoObject) {
    auto object = makeOrderedObject();
    object->set("id", std::int64_t{7});
    object->set("status", std::string("SHIPPED"));
    object->set("customer", std::int64_t{-3});
    object->set("made_at", std::string("2026-11-26T12:00:00.123456Z"));

    std::string out;
    JsonObjectWriter(out)
        .field("id", 7)
        .field("status", "SHIPPED")
        .field("customer", -3)
        .field("made_at", "2026-11-26T12:00:00.123456Z")
        .end();
    EXPECT_EQ(out, toJson(*object));
}

TEST(JsonObjectWriter, WritesAnEmptyObjectAndAppendsToWhatIsThere) {
    std::string out = "[";
    JsonObjectWriter(out).end();
    EXPECT_EQ(out, "[{}");
}

}  // namespace
}  // namespace micro_order::rest
