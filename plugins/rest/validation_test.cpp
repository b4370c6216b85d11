#include "rest/validation.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <limits>
#include <micro_order/http.hpp>
#include <string>

namespace micro_order::rest {
namespace {

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

const CharFieldRules kAddress{.maxLength = 254};
const CharFieldRules kEmail{.maxLength = 254, .email = true};

std::optional<std::string> readChar(const std::string& json, const CharFieldRules& rules, ValidationErrors& errors) {
    return readCharField(*parse(json), "field", rules, errors);
}

std::optional<std::int64_t> readInteger(const std::string& json, ValidationErrors& errors) {
    return readIntegerField(*parse(json), "field", 1, errors);
}

using Messages = std::vector<std::string>;

TEST(ValidationErrors, RendersFieldsInTheOrderTheyWereReported) {
    ValidationErrors errors;
    errors.add("email", messages::kInvalidEmail);
    errors.add("address", messages::kRequired);
    errors.add("email", messages::maxLength(254));
    EXPECT_EQ(errors.toJson(),
              R"({"email":["Enter a valid email address.","Ensure this field has no more than 254 characters."],)"
              R"("address":["This field is required."]})");
}

TEST(ValidationErrors, ThrowIfAnyThrowsA400CarryingTheBody) {
    ValidationErrors errors;
    errors.add("customer", messages::kInvalidInteger);
    try {
        errors.throwIfAny();
        FAIL() << "no exception";
    } catch (const HttpError& error) {
        EXPECT_EQ(error.status(), 400);
        EXPECT_EQ(error.body(), R"({"customer":["A valid integer is required."]})");
    }
}

TEST(ValidationErrors, ThrowIfAnyDoesNothingWithoutErrors) {
    ValidationErrors errors;
    EXPECT_TRUE(errors.empty());
    EXPECT_NO_THROW(errors.throwIfAny());
}

TEST(Messages, MatchDjangoRestFramework) {
    EXPECT_EQ(messages::maxLength(254), "Ensure this field has no more than 254 characters.");
    EXPECT_EQ(messages::minValue(1), "Ensure this value is greater than or equal to 1.");
    EXPECT_EQ(messages::maxValue(1000), "Ensure this value is less than or equal to 1000.");
    EXPECT_EQ(messages::invalidChoice("DONE"), "Select a valid choice. DONE is not one of the available choices.");
}

TEST(CharField, AcceptsAString) {
    ValidationErrors errors;
    EXPECT_EQ(readChar(R"({"field": "Moutain View, 33"})", kAddress, errors), "Moutain View, 33");
    EXPECT_TRUE(errors.empty());
}

TEST(CharField, RejectsAMissingField) {
    ValidationErrors errors;
    EXPECT_FALSE(readChar(R"({"other": "x"})", kAddress, errors));
    EXPECT_EQ(errors.of("field"), Messages{"This field is required."});
}

TEST(CharField, RejectsNull) {
    ValidationErrors errors;
    EXPECT_FALSE(readChar(R"({"field": null})", kAddress, errors));
    EXPECT_EQ(errors.of("field"), Messages{"This field may not be null."});
}

TEST(CharField, RejectsNonStrings) {
    for (const auto* json :
         {R"({"field": 33})", R"({"field": 1.5})", R"({"field": true})", R"({"field": []})", R"({"field": {}})"}) {
        ValidationErrors errors;
        EXPECT_FALSE(readChar(json, kAddress, errors)) << json;
        EXPECT_EQ(errors.of("field"), Messages{"Not a valid string."}) << json;
    }
}

TEST(CharField, RejectsBlankAndWhitespaceOnly) {
    for (const auto* json : {R"({"field": ""})", R"({"field": "  \t\n"})", R"({"field": "\u00a0"})"}) {
        ValidationErrors errors;
        EXPECT_FALSE(readChar(json, kAddress, errors)) << json;
        EXPECT_EQ(errors.of("field"), Messages{"This field may not be blank."}) << json;
    }
}

TEST(CharField, AllowsBlankWhenTheRulesDo) {
    ValidationErrors errors;
    EXPECT_EQ(readChar(R"({"field": " "})", CharFieldRules{.allowBlank = true}, errors), "");
    EXPECT_TRUE(errors.empty());
}

TEST(CharField, TrimsSurroundingWhitespace) {
    ValidationErrors errors;
    EXPECT_EQ(readChar(R"({"field": "  a b \n"})", kAddress, errors), "a b");
}

TEST(CharField, CountsTheMaximumLengthInCharactersNotBytes) {
    std::string atLimit;
    for (int i = 0; i < 254; ++i) {
        atLimit += "é";
    }
    ValidationErrors errors;
    EXPECT_EQ(readChar(R"({"field": ")" + atLimit + "\"}", kAddress, errors), atLimit);
    EXPECT_TRUE(errors.empty());

    EXPECT_FALSE(readChar(R"({"field": ")" + atLimit + "x\"}", kAddress, errors));
    EXPECT_EQ(errors.of("field"), Messages{"Ensure this field has no more than 254 characters."});
}

TEST(CharField, MeasuresTheLengthAfterTrimming) {
    ValidationErrors errors;
    EXPECT_TRUE(readChar(R"({"field": "  )" + std::string(254, 'a') + "  \"}", kAddress, errors));
    EXPECT_TRUE(errors.empty());
}

TEST(CharField, RejectsNullCharacters) {
    ValidationErrors errors;
    EXPECT_FALSE(readChar(R"({"field": "a\u0000b"})", kAddress, errors));
    EXPECT_EQ(errors.of("field"), Messages{"Null characters are not allowed."});
}

TEST(EmailField, AcceptsAValidAddressTrimmed) {
    ValidationErrors errors;
    EXPECT_EQ(readChar(R"({"field": " user@email.com "})", kEmail, errors), "user@email.com");
    EXPECT_TRUE(errors.empty());
}

TEST(EmailField, RejectsAnInvalidAddress) {
    ValidationErrors errors;
    EXPECT_FALSE(readChar(R"({"field": "not-an-email"})", kEmail, errors));
    EXPECT_EQ(errors.of("field"), Messages{"Enter a valid email address."});
}

TEST(EmailField, ReportsLengthAndValidityTogetherLikeDrf) {
    ValidationErrors errors;
    EXPECT_FALSE(readChar(R"({"field": ")" + std::string(300, 'a') + "\"}", kEmail, errors));
    EXPECT_EQ(errors.of("field"),
              (Messages{"Ensure this field has no more than 254 characters.", "Enter a valid email address."}));
}

TEST(EmailField, RejectsAValidAddressLongerThan254) {
    ValidationErrors errors;
    const auto email = std::string(250, 'a') + "@b.co";
    EXPECT_TRUE(isValidEmail(email));
    EXPECT_FALSE(readChar(R"({"field": ")" + email + "\"}", kEmail, errors));
    EXPECT_EQ(errors.of("field"), Messages{"Ensure this field has no more than 254 characters."});
}

TEST(IsValidEmail, AcceptsWhatDjangoAccepts) {
    for (const auto* email :
         {"user@email.com", "a.b+c-d_e@sub.example.co", "UPPER@EXAMPLE.COM", "x@a-b.io", "!#$%&'*+/=?^_`{}|~@x.org",
          "\"john\\ doe\"@example.com", "\"a\\\"b\"@example.com", "\"a@b\"@example.com", "user@localhost",
          "user@[127.0.0.1]", "user@[::1]", "user@[2001:db8::1]", "user@xn--bcher-kva.ch", "user@bücher.ch",
          "user@example.xn--p1ai", "user@123.com", "user@example.c0m"}) {
        EXPECT_TRUE(isValidEmail(email)) << email;
    }
}

TEST(IsValidEmail, RejectsWhatDjangoRejects) {
    const std::string label64(64, 'a');
    for (const std::string& email : std::vector<std::string>{"",
                                                             "user",
                                                             "@example.com",
                                                             "user@",
                                                             "user@example",
                                                             "user@.com",
                                                             "user@example..com",
                                                             "user..x@example.com",
                                                             ".user@example.com",
                                                             "user.@example.com",
                                                             "user@-example.com",
                                                             "user@example-.com",
                                                             "user@example.c",
                                                             "user@example.com-",
                                                             "user@exa_mple.com",
                                                             "user name@example.com",
                                                             "josé@example.com",
                                                             "user@[999.1.1.1]",
                                                             "user@[01.1.1.1]",
                                                             "user@[::g]",
                                                             "user@127.0.0.1",
                                                             "user@" + label64 + ".com",
                                                             "a@b@c.com",
                                                             "\"unclosed@example.com",
                                                             "\"john doe\"@example.com",
                                                             "\"a b\"c@example.com",
                                                             "user@localhost.",
                                                             "user@ex ample.com"}) {
        EXPECT_FALSE(isValidEmail(email)) << email;
    }
}

TEST(IsValidEmail, RejectsMoreThan320Characters) { EXPECT_FALSE(isValidEmail(std::string(310, 'a') + "@example.com")); }

TEST(IntegerField, AcceptsIntegersIntegralNumbersAndNumericStrings) {
    const std::vector<std::pair<std::string, std::int64_t>> cases{
        {R"({"field": 1})", 1},      {R"({"field": "1"})", 1},
        {R"({"field": " 2 "})", 2},  {R"({"field": "3.0"})", 3},
        {R"({"field": 4.0})", 4},    {R"({"field": "+5"})", 5},
        {R"({"field": "6."})", 6},   {R"({"field": 7e1})", 70},
        {R"({"field": "0008"})", 8}, {R"({"field": 9223372036854775807})", std::numeric_limits<std::int64_t>::max()},
    };
    for (const auto& [json, expected] : cases) {
        ValidationErrors errors;
        EXPECT_EQ(readInteger(json, errors), expected) << json;
        EXPECT_TRUE(errors.empty()) << json << " " << errors.toJson();
    }
}

TEST(IntegerField, RejectsWhatIsNotAnInteger) {
    for (const auto* json : {R"({"field": "abc"})", R"({"field": true})", R"({"field": false})", R"({"field": 1.5})",
                             R"({"field": "1.5"})", R"({"field": ""})", R"({"field": " "})", R"({"field": []})",
                             R"({"field": {}})", R"({"field": "1 2"})", R"({"field": "0x10"})", R"({"field": "1e3"})",
                             R"({"field": "1.0.0"})", R"({"field": "--1"})"}) {
        ValidationErrors errors;
        EXPECT_FALSE(readInteger(json, errors)) << json;
        EXPECT_EQ(errors.of("field"), Messages{"A valid integer is required."}) << json;
    }
}

TEST(IntegerField, RejectsValuesBelowTheMinimum) {
    for (const auto* json : {R"({"field": 0})", R"({"field": -1})", R"({"field": "-7"})", R"({"field": -0.0})",
                             R"({"field": -99999999999999999999999.0})"}) {
        ValidationErrors errors;
        EXPECT_FALSE(readInteger(json, errors)) << json;
        EXPECT_EQ(errors.of("field"), Messages{"Ensure this value is greater than or equal to 1."}) << json;
    }
}

TEST(IntegerField, RejectsValuesBeyondSixtyFourBits) {
    for (const auto* json :
         {R"({"field": 18446744073709551615})", R"({"field": "99999999999999999999"})", R"({"field": 1e30})"}) {
        ValidationErrors errors;
        EXPECT_FALSE(readInteger(json, errors)) << json;
        EXPECT_EQ(errors.of("field"), Messages{"Ensure this value is less than or equal to 9223372036854775807."})
            << json;
    }
}

TEST(IntegerField, RejectsMissingAndNull) {
    ValidationErrors missing;
    EXPECT_FALSE(readInteger("{}", missing));
    EXPECT_EQ(missing.of("field"), Messages{"This field is required."});
    ValidationErrors null;
    EXPECT_FALSE(readInteger(R"({"field": null})", null));
    EXPECT_EQ(null.of("field"), Messages{"This field may not be null."});
}

TEST(Utf8Length, CountsCodePoints) {
    EXPECT_EQ(utf8Length(""), 0u);
    EXPECT_EQ(utf8Length("abc"), 3u);
    EXPECT_EQ(utf8Length("é€😀"), 3u);
}

TEST(TrimWhitespace, StripsAsciiAndUnicodeSpaceOnBothEnds) {
    EXPECT_EQ(trimWhitespace(" \t a b \r\n"), "a b");
    EXPECT_EQ(trimWhitespace("\u00a0é\u3000"), "é");
    EXPECT_EQ(trimWhitespace("   "), "");
    EXPECT_EQ(trimWhitespace("x"), "x");
}

TEST(ParseStrictInteger, AcceptsOnlyPlainDecimalIntegers) {
    EXPECT_EQ(parseStrictInteger("42"), 42);
    EXPECT_EQ(parseStrictInteger("-3"), -3);
    EXPECT_EQ(parseStrictInteger("007"), 7);
    for (const auto* text : {"", "+1", " 1", "1 ", "1.0", "abc", "1a", "99999999999999999999"}) {
        EXPECT_FALSE(parseStrictInteger(text)) << text;
    }
}

}  // namespace
}  // namespace micro_order::rest
