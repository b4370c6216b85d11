// The customers service over HTTP through the real host: create, list, get, and every way a
// request can be refused.
#include <gtest/gtest.h>

#include <string>

#include "services/services_fixture.hpp"

namespace micro_order::testing {
namespace {

constexpr const char* kCustomer = R"({"email": "user@email.com", "address": "Moutain View, 33"})";

/// What stores or reads customers runs on every connector, without assuming exact ids.
class ServicesCustomers : public ConnectorServicesTest {};
/// The rest (refusals before any database is asked, routing): SQLite is enough, ids from 1.
class ServicesCustomerRequests : public ServicesTest {};

TEST_P(ServicesCustomers, CreateCustomerReturns201WithIdEmailAndAddress) {
    const HttpResult result = customers("POST", "/customers/", kCustomer);

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(result.contentType, "application/json");
    const auto id = idOf(result.body);
    EXPECT_GT(id, 0);
    EXPECT_EQ(result.body,
              R"({"id":)" + std::to_string(id) + R"(,"email":"user@email.com","address":"Moutain View, 33"})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerWithoutTrailingSlashIsServed) {
    const HttpResult result = customers("POST", "/customers", kCustomer);

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(json(result.body)->getValue<int>("id"), 1);
}

// Increasing, not consecutive: a PostgreSQL sequence does not give back what a rollback took.
TEST_P(ServicesCustomers, CreateCustomerGivesIncreasingIds) {
    const auto ids = createCustomers(3);
    ASSERT_EQ(ids.size(), 3u);

    const HttpResult fourth = customers("POST", "/customers/", kCustomer);

    ASSERT_EQ(fourth.status, 201) << fourth.body;
    EXPECT_LT(ids[0], ids[1]);
    EXPECT_LT(ids[1], ids[2]);
    EXPECT_GT(idOf(fourth.body), ids[2]);
}

TEST_F(ServicesCustomerRequests, CreateCustomerTrimsEmailAndAddress) {
    const HttpResult result =
        customers("POST", "/customers/", R"({"email": " user@email.com ", "address": "  a b \n"})");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(result.body, R"({"id":1,"email":"user@email.com","address":"a b"})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerAcceptsJsonWithCharsetParameter) {
    const HttpResult result = customers("POST", "/customers/", kCustomer, "application/json; charset=utf-8");

    EXPECT_EQ(result.status, 201) << result.body;
}

TEST_P(ServicesCustomers, CreateCustomerKeepsNonAsciiAddress) {
    const HttpResult created =
        customers("POST", "/customers/", R"({"email": "user@email.com", "address": "Rua São João, 7"})");
    ASSERT_EQ(created.status, 201) << created.body;

    const HttpResult fetched = customers("GET", "/customers/" + std::to_string(idOf(created.body)) + "/");

    ASSERT_EQ(fetched.status, 200) << fetched.body;
    EXPECT_EQ(json(fetched.body)->getValue<std::string>("address"), "Rua São João, 7");
}

TEST_F(ServicesCustomerRequests, CreateCustomerIgnoresUnknownFields) {
    const HttpResult result =
        customers("POST", "/customers/",
                  R"({"email": "user@email.com", "address": "Moutain View, 33", "phone": "555", "x": [1]})");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(result.body, R"({"id":1,"email":"user@email.com","address":"Moutain View, 33"})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerIgnoresTheIdSentByTheClient) {
    const HttpResult result =
        customers("POST", "/customers/", R"({"id": 99, "email": "user@email.com", "address": "Moutain View, 33"})");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(json(result.body)->getValue<int>("id"), 1);
    EXPECT_EQ(customers("GET", "/customers/99/").status, 404);
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsInvalidEmail) {
    const HttpResult result =
        customers("POST", "/customers/", R"({"email": "not-an-email", "address": "Moutain View, 33"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["Enter a valid email address."]})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsMissingEmail) {
    const HttpResult result = customers("POST", "/customers/", R"({"address": "Moutain View, 33"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["This field is required."]})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsNullEmail) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": null, "address": "Moutain View, 33"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["This field may not be null."]})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsBlankEmail) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": "", "address": "Moutain View, 33"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["This field may not be blank."]})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsNonStringEmail) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": 33, "address": "Moutain View, 33"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["Not a valid string."]})");
}

TEST_P(ServicesCustomers, CreateCustomerAcceptsEmailOf254Characters) {
    const std::string email = std::string(249, 'a') + "@b.co";
    ASSERT_EQ(email.size(), 254u);

    const HttpResult result =
        customers("POST", "/customers/", R"({"email": ")" + email + R"(", "address": "Moutain View, 33"})");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(json(result.body)->getValue<std::string>("email"), email);
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsEmailLongerThan254Characters) {
    const std::string email = std::string(250, 'a') + "@b.co";

    const HttpResult result =
        customers("POST", "/customers/", R"({"email": ")" + email + R"(", "address": "Moutain View, 33"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["Ensure this field has no more than 254 characters."]})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsMissingAddress) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": "user@email.com"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"address":["This field is required."]})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsEmptyAddress) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": "user@email.com", "address": ""})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"address":["This field may not be blank."]})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsWhitespaceOnlyAddress) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": "user@email.com", "address": " \t "})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"address":["This field may not be blank."]})");
}

TEST_P(ServicesCustomers, CreateCustomerAcceptsAddressOf254Characters) {
    const std::string address(254, 'x');

    const HttpResult result =
        customers("POST", "/customers/", R"({"email": "user@email.com", "address": ")" + address + "\"}");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(json(result.body)->getValue<std::string>("address"), address);
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsAddressLongerThan254Characters) {
    const HttpResult result =
        customers("POST", "/customers/", R"({"email": "user@email.com", "address": ")" + std::string(255, 'x') + "\"}");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"address":["Ensure this field has no more than 254 characters."]})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerReportsEveryBadField) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": "user@"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["Enter a valid email address."],"address":["This field is required."]})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerWithEmptyBodyReportsBothFieldsRequired) {
    const HttpResult result = customers("POST", "/customers/", "");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"email":["This field is required."],"address":["This field is required."]})");
}

TEST_F(ServicesCustomerRequests, RefusedCreateStoresNothing) {
    ASSERT_EQ(customers("POST", "/customers/", R"({"email": "bad", "address": "x"})").status, 400);

    const HttpResult list = customers("GET", "/customers/");

    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.body, "[]");
    // The id was not consumed either.
    EXPECT_EQ(json(customers("POST", "/customers/", kCustomer).body)->getValue<int>("id"), 1);
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsMalformedJson) {
    const HttpResult result = customers("POST", "/customers/", R"({"email": "user@email.com",)");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(json(result.body)->getValue<std::string>("detail").rfind("JSON parse error", 0), 0u) << result.body;
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsJsonArrayBody) {
    const HttpResult result = customers("POST", "/customers/", "[1,2]");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"detail":"Invalid data. Expected a dictionary, but got list."})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsJsonScalarBody) {
    const HttpResult result = customers("POST", "/customers/", "\"user@email.com\"");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"detail":"Invalid data. Expected a dictionary, but got str."})");
}

TEST_F(ServicesCustomerRequests, CreateCustomerRejectsTextPlainBodyWith415) {
    const HttpResult result = customers("POST", "/customers/", kCustomer, "text/plain");

    EXPECT_EQ(result.status, 415);
    EXPECT_EQ(result.body, R"({"detail":"Unsupported media type \"text/plain\" in request."})");
}

TEST_P(ServicesCustomers, ListCustomersReturnsEmptyArrayWhenThereAreNone) {
    const HttpResult result = customers("GET", "/customers/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_EQ(result.body, "[]");
    EXPECT_EQ(result.header("Link"), "");
}

TEST_P(ServicesCustomers, ListCustomersReturnsEveryCustomerOrderedById) {
    const auto ids = createCustomers(3);
    ASSERT_EQ(ids.size(), 3u);

    const HttpResult result = customers("GET", "/customers/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body,
              R"([{"id":)" + std::to_string(ids[0]) + R"(,"email":"user0@email.com","address":"Street 0"},)" +
                  R"({"id":)" + std::to_string(ids[1]) + R"(,"email":"user1@email.com","address":"Street 1"},)" +
                  R"({"id":)" + std::to_string(ids[2]) + R"(,"email":"user2@email.com","address":"Street 2"}])");
}

TEST_F(ServicesCustomerRequests, ListCustomersWithoutTrailingSlashIsServed) {
    createCustomers(2);

    const HttpResult result = customers("GET", "/customers");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), idsUpTo(2));
}

TEST_P(ServicesCustomers, GetCustomerReturnsIt) {
    const HttpResult created = customers("POST", "/customers/", kCustomer);
    ASSERT_EQ(created.status, 201);

    const HttpResult result = customers("GET", "/customers/" + std::to_string(idOf(created.body)) + "/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, created.body);
}

TEST_F(ServicesCustomerRequests, GetCustomerWithoutTrailingSlashIsServed) {
    ASSERT_EQ(customers("POST", "/customers/", kCustomer).status, 201);

    const HttpResult result = customers("GET", "/customers/1");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(json(result.body)->getValue<int>("id"), 1);
}

TEST_F(ServicesCustomerRequests, GetCustomerWithLeadingZerosInTheIdReturnsIt) {
    ASSERT_EQ(customers("POST", "/customers/", kCustomer).status, 201);

    const HttpResult result = customers("GET", "/customers/001/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(json(result.body)->getValue<int>("id"), 1);
}

TEST_P(ServicesCustomers, GetUnknownCustomerIs404NotFound) {
    const HttpResult created = customers("POST", "/customers/", kCustomer);
    ASSERT_EQ(created.status, 201);
    const std::string next = std::to_string(idOf(created.body) + 1);

    for (const std::string& path :
         {"/customers/" + next + "/", "/customers/" + next, std::string("/customers/9223372036854775807/")}) {
        const HttpResult result = customers("GET", path);

        EXPECT_EQ(result.status, 404) << path;
        EXPECT_EQ(result.body, R"({"detail":"Not found."})") << path;
    }
}

TEST_F(ServicesCustomerRequests, GetCustomerWithNonPositiveOrNonNumericIdIs404NotFound) {
    ASSERT_EQ(customers("POST", "/customers/", kCustomer).status, 201);

    for (const char* path : {"/customers/0/", "/customers/-1/", "/customers/abc/", "/customers/1.0/", "/customers/+1/",
                             "/customers/99999999999999999999/"}) {
        const HttpResult result = customers("GET", path);

        EXPECT_EQ(result.status, 404) << path;
        EXPECT_EQ(result.body, R"({"detail":"Not found."})") << path;
    }
}

TEST_F(ServicesCustomerRequests, PathBelowACustomerIs404NotFound) {
    ASSERT_EQ(customers("POST", "/customers/", kCustomer).status, 201);

    const HttpResult result = customers("GET", "/customers/1/orders/");

    EXPECT_EQ(result.status, 404);
    EXPECT_EQ(result.body, R"({"detail":"Not found."})");
}

TEST_F(ServicesCustomerRequests, WrongMethodOnTheListIs405AllowingGetAndPost) {
    for (const char* path : {"/customers/", "/customers"}) {
        const HttpResult result = customers("DELETE", path);

        EXPECT_EQ(result.status, 405) << path;
        EXPECT_EQ(result.body, R"({"detail":"Method \"DELETE\" not allowed."})") << path;
        const std::string allow = result.header("Allow");
        EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
        EXPECT_NE(allow.find("POST"), std::string::npos) << allow;
    }
}

TEST_F(ServicesCustomerRequests, WrongMethodOnACustomerIs405AllowingGet) {
    ASSERT_EQ(customers("POST", "/customers/", kCustomer).status, 201);

    for (const char* method : {"PUT", "PATCH", "DELETE", "POST"}) {
        for (const char* path : {"/customers/1/", "/customers/1"}) {
            const HttpResult result = customers(method, path, kCustomer);

            EXPECT_EQ(result.status, 405) << method << " " << path;
            EXPECT_EQ(result.header("Allow"), "GET, HEAD") << method << " " << path;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Connectors, ServicesCustomers, kEveryConnector, ConnectorParamName());

}  // namespace
}  // namespace micro_order::testing
