#include "customers/customer_validation.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "rest/testing/http_test_support.hpp"

namespace micro_order::customers {
namespace {

using rest::testing::httpErrorOf;

Poco::JSON::Object::Ptr parse(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

// The 400 body validateNewCustomer answers for `json`.
std::string errorBody(const std::string& json) {
    const auto error = httpErrorOf([&] { validateNewCustomer(*parse(json)); });
    EXPECT_EQ(error.status, 400) << json;
    return error.body;
}

TEST(ValidateNewCustomer, AcceptsTheContractExample) {
    const auto customer = validateNewCustomer(*parse(R"({"email": "user@email.com", "address": "Moutain View, 33"})"));
    EXPECT_EQ(customer.email, "user@email.com");
    EXPECT_EQ(customer.address, "Moutain View, 33");
}

TEST(ValidateNewCustomer, TrimsBothFields) {
    const auto customer = validateNewCustomer(*parse(R"({"email": " user@email.com\n", "address": "\tMain St 1 "})"));
    EXPECT_EQ(customer.email, "user@email.com");
    EXPECT_EQ(customer.address, "Main St 1");
}

TEST(ValidateNewCustomer, IgnoresUnknownAndReadOnlyFields) {
    const auto customer = validateNewCustomer(*parse(R"({"id": 99, "email": "a@b.co", "address": "x", "vip": true})"));
    EXPECT_EQ(customer.email, "a@b.co");
    EXPECT_EQ(customer.address, "x");
}

TEST(ValidateNewCustomer, ReportsEveryMissingField) {
    EXPECT_EQ(errorBody("{}"), R"({"email":["This field is required."],"address":["This field is required."]})");
}

TEST(ValidateNewCustomer, ReportsAnInvalidEmailAndAMissingAddressTogether) {
    EXPECT_EQ(errorBody(R"({"email": "user.email.com"})"),
              R"({"email":["Enter a valid email address."],"address":["This field is required."]})");
}

TEST(ValidateNewCustomer, RejectsBlankFields) {
    EXPECT_EQ(errorBody(R"({"email": "", "address": "   "})"),
              R"({"email":["This field may not be blank."],"address":["This field may not be blank."]})");
}

TEST(ValidateNewCustomer, RejectsNullFields) {
    EXPECT_EQ(errorBody(R"({"email": null, "address": null})"),
              R"({"email":["This field may not be null."],"address":["This field may not be null."]})");
}

TEST(ValidateNewCustomer, RejectsNonStringFields) {
    EXPECT_EQ(errorBody(R"({"email": 1, "address": ["Main St"]})"),
              R"({"email":["Not a valid string."],"address":["Not a valid string."]})");
}

TEST(ValidateNewCustomer, RejectsAnAddressLongerThan254Characters) {
    const auto address = std::string(255, 'a');
    EXPECT_EQ(errorBody(R"({"email": "a@b.co", "address": ")" + address + "\"}"),
              R"({"address":["Ensure this field has no more than 254 characters."]})");
    EXPECT_EQ(validateNewCustomer(*parse(R"({"email": "a@b.co", "address": ")" + address.substr(1) + "\"}")).address,
              address.substr(1));
}

TEST(ValidateNewCustomer, RejectsAnEmailLongerThan254Characters) {
    const auto email = std::string(249, 'a') + "@b.com";  // 255 characters, otherwise valid
    EXPECT_EQ(errorBody(R"({"email": ")" + email + R"(", "address": "x"})"),
              R"({"email":["Ensure this field has no more than 254 characters."]})");
}

TEST(ValidateNewCustomer, AcceptsUtf8Addresses) {
    EXPECT_EQ(validateNewCustomer(*parse(R"({"email": "a@b.co", "address": "Rua São João, 12 – 日本"})")).address,
              "Rua São João, 12 – 日本");
}

}  // namespace
}  // namespace micro_order::customers
