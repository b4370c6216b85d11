#include "orders/order_validation.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "rest/testing/http_test_support.hpp"

namespace micro_order::orders {
namespace {

using rest::testing::httpErrorOf;

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string errorBody(const std::string& json) {
    const auto error = httpErrorOf([&] { validateNewOrder(*parse(json)); });
    EXPECT_EQ(error.status, 400) << json;
    return error.body;
}

TEST(ValidateNewOrder, AcceptsAnIntegerCustomer) {
    EXPECT_EQ(validateNewOrder(*parse(R"({"customer": 1})")).customer, 1);
}

TEST(ValidateNewOrder, AcceptsANumericString) {
    EXPECT_EQ(validateNewOrder(*parse(R"({"customer": "12"})")).customer, 12);
}

TEST(ValidateNewOrder, IgnoresReadOnlyAndUnknownFields) {
    EXPECT_EQ(validateNewOrder(*parse(R"({"customer": 2, "id": 9, "status": "SHIPPED", "made_at": "x", "extra": []})"))
                  .customer,
              2);
}

TEST(ValidateNewOrder, RequiresACustomer) {
    EXPECT_EQ(errorBody("{}"), R"({"customer":["This field is required."]})");
    EXPECT_EQ(errorBody(R"({"id": 1})"), R"({"customer":["This field is required."]})");
}

TEST(ValidateNewOrder, RejectsANullCustomer) {
    EXPECT_EQ(errorBody(R"({"customer": null})"), R"({"customer":["This field may not be null."]})");
}

TEST(ValidateNewOrder, RejectsANonIntegerCustomer) {
    for (const auto* json : {R"({"customer": "abc"})", R"({"customer": true})", R"({"customer": 1.5})",
                             R"({"customer": ""})", R"({"customer": [1]})", R"({"customer": {"id": 1}})"}) {
        EXPECT_EQ(errorBody(json), R"({"customer":["A valid integer is required."]})") << json;
    }
}

TEST(ValidateNewOrder, RejectsACustomerBelowOne) {
    for (const auto* json : {R"({"customer": 0})", R"({"customer": -3})", R"({"customer": "0"})"}) {
        EXPECT_EQ(errorBody(json), R"({"customer":["Ensure this value is greater than or equal to 1."]})") << json;
    }
}

TEST(ValidateNewOrder, RejectsACustomerAboveTheOriginals32BitField) {
    EXPECT_EQ(validateNewOrder(*parse(R"({"customer": 2147483647})")).customer, 2147483647);
    for (const auto* json : {R"({"customer": 2147483648})", R"({"customer": "9223372036854775807"})"}) {
        EXPECT_EQ(errorBody(json), R"({"customer":["Ensure this value is less than or equal to 2147483647."]})")
            << json;
    }
}

}  // namespace
}  // namespace micro_order::orders
