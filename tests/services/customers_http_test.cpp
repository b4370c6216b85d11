// The customers service over HTTP through the real host: create, list, get, and every way a
// request can be refused.
#include <gtest/gtest.h>

#include <string>

#include "services/services_fixture.hpp"

namespace micro_order::testing {
namespace {

constexpr const char* kCustomer = R"({"email": "user@email.com", "address": "Moutain View, 33"})";

class ServicesCustomers : public ServicesTest {};

TEST_F(ServicesCustomers, CreateCustomerReturns201WithIdEmailAndAddress) {
    const HttpResult result = customers("POST", "/customers/", kCustomer);

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_EQ(result.body, R"({"id":1,"email":"user@email.com","address":"Moutain View, 33"})");
}

TEST_F(ServicesCustomers, CreateCustomerWithoutTrailingSlashIsServed) {
    const HttpResult result = customers("POST", "/customers", kCustomer);

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(json(result.body)->getValue<int>("id"), 1);
}

TEST_F(ServicesCustomers, CreateCustomerGivesConsecutiveIds) {
    createCustomers(3);

    const HttpResult fourth = customers("POST", "/customers/", kCustomer);

    ASSERT_EQ(fourth.status, 201) << fourth.body;
    EXPECT_EQ(json(fourth.body)->getValue<int>("id"), 4);
}

TEST_F(ServicesCustomers, CreateCustomerTrimsEmailAndAddress) {
    const HttpResult result =
        customers("POST", "/customers/", R"({"email": " user@email.com ", "address": "  a b \n"})");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(result.body, R"({"id":1,"email":"user@email.com","address":"a b"})");
}

TEST_F(ServicesCustomers, CreateCustomerAcceptsJsonWithCharsetParameter) {
    const HttpResult result = customers("POST", "/customers/", kCustomer, "application/json; charset=utf-8");

    EXPECT_EQ(result.status, 201) << result.body;
}

TEST_F(ServicesCustomers, CreateCustomerKeepsNonAsciiAddress) {
    const HttpResult created =
        customers("POST", "/customers/", R"({"email": "user@email.com", "address": "Rua São João, 7"})");
    ASSERT_EQ(created.status, 201) << created.body;

    const HttpResult fetched = customers("GET", "/customers/1/");

    ASSERT_EQ(fetched.status, 200) << fetched.body;
    EXPECT_EQ(json(fetched.body)->getValue<std::string>("address"), "Rua São João, 7");
}

TEST_F(ServicesCustomers, CreateCustomerIgnoresUnknownFields) {
    const HttpResult result =
        customers("POST", "/customers/",
                  R"({"email": "user@email.com", "address": "Moutain View, 33", "phone": "555", "x": [1]})");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(result.body, R"({"id":1,"email":"user@email.com","address":"Moutain View, 33"})");
}

TEST_F(ServicesCustomers, CreateCustomerIgnoresTheIdSentByTheClient) {
    const HttpResult result =
        customers("POST", "/customers/", R"({"id": 99, "email": "user@email.com", "address": "Moutain View, 33"})");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(json(result.body)->getValue<int>("id"), 1);
    EXPECT_EQ(customers("GET", "/customers/99/").status, 404);
}

TEST_F(ServicesCustomers, CreateCustomerRejectsInvalidEmail) {
    const HttpResult result =
        customers("POST", "/customers/", R"({"email": "not-an-email", "address": "Moutain View, 33"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["Enter a valid email address."]})");
}

TEST_F(ServicesCustomers, CreateCustomerRejectsMissingEmail) {
    const HttpResult result = customers("POST", "/customers/", R"({"address": "Moutain View, 33"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["This field is required."]})");
}

TEST_F(ServicesCustomers, CreateCustomerRejectsNullEmail) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": null, "address": "Moutain View, 33"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["This field may not be null."]})");
}

TEST_F(ServicesCustomers, CreateCustomerRejectsBlankEmail) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": "", "address": "Moutain View, 33"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["This field may not be blank."]})");
}

TEST_F(ServicesCustomers, CreateCustomerRejectsNonStringEmail) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": 33, "address": "Moutain View, 33"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["Not a valid string."]})");
}

TEST_F(ServicesCustomers, CreateCustomerAcceptsEmailOf254Characters) {
    const std::string email = std::string(249, 'a') + "@b.co";
    ASSERT_EQ(email.size(), 254u);

    const HttpResult result =
        customers("POST", "/customers/", R"({"email": ")" + email + R"(", "address": "Moutain View, 33"})");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(json(result.body)->getValue<std::string>("email"), email);
}

TEST_F(ServicesCustomers, CreateCustomerRejectsEmailLongerThan254Characters) {
    const std::string email = std::string(250, 'a') + "@b.co";

    const HttpResult result =
        customers("POST", "/customers/", R"({"email": ")" + email + R"(", "address": "Moutain View, 33"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["Ensure this field has no more than 254 characters."]})");
}

TEST_F(ServicesCustomers, CreateCustomerRejectsMissingAddress) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": "user@email.com"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"address":["This field is required."]})");
}

TEST_F(ServicesCustomers, CreateCustomerRejectsEmptyAddress) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": "user@email.com", "address": ""})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"address":["This field may not be blank."]})");
}

TEST_F(ServicesCustomers, CreateCustomerRejectsWhitespaceOnlyAddress) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": "user@email.com", "address": " \t "})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"address":["This field may not be blank."]})");
}

TEST_F(ServicesCustomers, CreateCustomerAcceptsAddressOf254Characters) {
    const std::string address(254, 'x');

    const HttpResult result =
        customers("POST", "/customers/", R"({"email": "user@email.com", "address": ")" + address + "\"}");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(json(result.body)->getValue<std::string>("address"), address);
}

TEST_F(ServicesCustomers, CreateCustomerRejectsAddressLongerThan254Characters) {
    const HttpResult result =
        customers("POST", "/customers/", R"({"email": "user@email.com", "address": ")" + std::string(255, 'x') + "\"}");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"address":["Ensure this field has no more than 254 characters."]})");
}

TEST_F(ServicesCustomers, CreateCustomerReportsEveryBadField) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": "user@"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["Enter a valid email address."],"address":["This field is required."]})");
}

TEST_F(ServicesCustomers, CreateCustomerWithEmptyBodyReportsBothFieldsRequired) {
    const HttpResult result = customers("POST", "/customers/", "");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["This field is required."],"address":["This field is required."]})");
}

TEST_F(ServicesCustomers, RefusedCreateStoresNothing) {
    ASSERT_EQ(customers("POST", "/customers/", R"({"email": "bad", "address": "x"})").status, 400);

    const HttpResult list = customers("GET", "/customers/");

    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.body, "[]");
    // The id was not consumed either.
    EXPECT_EQ(json(customers("POST", "/customers/", kCustomer).body)->getValue<int>("id"), 1);
}

TEST_F(ServicesCustomers, CreateCustomerRejectsMalformedJson) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": "user@email.com",)");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(json(result.body)->getValue<std::string>("detail").rfind("JSON parse error", 0), 0u) << result.body;
}

TEST_F(ServicesCustomers, CreateCustomerRejectsJsonArrayBody) {
    const HttpResult result = customers("POST", "/customers/", "[1,2]");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"detail":"Invalid data. Expected a dictionary, but got list."})");
}

TEST_F(ServicesCustomers, CreateCustomerRejectsJsonScalarBody) {
    const HttpResult result = customers("POST", "/customers/", "\"user@email.com\"");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"detail":"Invalid data. Expected a dictionary, but got str."})");
}

TEST_F(ServicesCustomers, CreateCustomerRejectsTextPlainBodyWith415) {
    const HttpResult result = customers("POST", "/customers/", kCustomer, "text/plain");

    EXPECT_EQ(result.status, 415);
    EXPECT_EQ(result.body, R"({"detail":"Unsupported media type \"text/plain\" in request."})");
}

TEST_F(ServicesCustomers, ListCustomersReturnsEmptyArrayWhenThereAreNone) {
    const HttpResult result = customers("GET", "/customers/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_EQ(result.body, "[]");
    EXPECT_EQ(result.header("Link"), "");
}

TEST_F(ServicesCustomers, ListCustomersReturnsEveryCustomerOrderedById) {
    createCustomers(3);

    const HttpResult result = customers("GET", "/customers/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, R"([{"id":1,"email":"user0@email.com","address":"Street 0"},)"
                           R"({"id":2,"email":"user1@email.com","address":"Street 1"},)"
                           R"({"id":3,"email":"user2@email.com","address":"Street 2"}])");
}

TEST_F(ServicesCustomers, ListCustomersWithoutTrailingSlashIsServed) {
    createCustomers(2);

    const HttpResult result = customers("GET", "/customers");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), idsUpTo(2));
}

TEST_F(ServicesCustomers, GetCustomerReturnsIt) {
    ASSERT_EQ(customers("POST", "/customers/", kCustomer).status, 201);

    const HttpResult result = customers("GET", "/customers/1/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, R"({"id":1,"email":"user@email.com","address":"Moutain View, 33"})");
}

TEST_F(ServicesCustomers, GetCustomerWithoutTrailingSlashIsServed) {
    ASSERT_EQ(customers("POST", "/customers/", kCustomer).status, 201);

    const HttpResult result = customers("GET", "/customers/1");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(json(result.body)->getValue<int>("id"), 1);
}

TEST_F(ServicesCustomers, GetCustomerWithLeadingZerosInTheIdReturnsIt) {
    ASSERT_EQ(customers("POST", "/customers/", kCustomer).status, 201);

    const HttpResult result = customers("GET", "/customers/001/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(json(result.body)->getValue<int>("id"), 1);
}

TEST_F(ServicesCustomers, GetUnknownCustomerIs404NotFound) {
    ASSERT_EQ(customers("POST", "/customers/", kCustomer).status, 201);

    for (const char* path : {"/customers/2/", "/customers/2", "/customers/9223372036854775807/"}) {
        const HttpResult result = customers("GET", path);

        EXPECT_EQ(result.status, 404) << path;
        EXPECT_EQ(result.body, R"({"detail":"Not found."})") << path;
    }
}

TEST_F(ServicesCustomers, GetCustomerWithNonPositiveOrNonNumericIdIs404NotFound) {
    ASSERT_EQ(customers("POST", "/customers/", kCustomer).status, 201);

    for (const char* path : {"/customers/0/", "/customers/-1/", "/customers/abc/", "/customers/1.0/", "/customers/+1/",
                             "/customers/99999999999999999999/"}) {
        const HttpResult result = customers("GET", path);

        EXPECT_EQ(result.status, 404) << path;
        EXPECT_EQ(result.body, R"({"detail":"Not found."})") << path;
    }
}

TEST_F(ServicesCustomers, PathBelowACustomerIs404NotFound) {
    ASSERT_EQ(customers("POST", "/customers/", kCustomer).status, 201);

    const HttpResult result = customers("GET", "/customers/1/orders/");

    EXPECT_EQ(result.status, 404);
    EXPECT_EQ(result.body, R"({"detail":"Not found."})");
}

TEST_F(ServicesCustomers, WrongMethodOnTheListIs405AllowingGetAndPost) {
    for (const char* path : {"/customers/", "/customers"}) {
        const HttpResult result = customers("DELETE", path);

        EXPECT_EQ(result.status, 405) << path;
        EXPECT_EQ(result.body, R"({"detail":"Method \"DELETE\" not allowed."})") << path;
        const std::string allow = result.header("Allow");
        EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
        EXPECT_NE(allow.find("POST"), std::string::npos) << allow;
    }
}

TEST_F(ServicesCustomers, WrongMethodOnACustomerIs405AllowingGet) {
    ASSERT_EQ(customers("POST", "/customers/", kCustomer).status, 201);

    for (const char* method : {"PUT", "PATCH", "DELETE", "POST"}) {
        for (const char* path : {"/customers/1/", "/customers/1"}) {
            const HttpResult result = customers(method, path, kCustomer);

            EXPECT_EQ(result.status, 405) << method << " " << path;
            EXPECT_EQ(result.header("Allow"), "GET, HEAD") << method << " " << path;
        }
    }
}

}  // namespace
}  // namespace micro_order::testing
