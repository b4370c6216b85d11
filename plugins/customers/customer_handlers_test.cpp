#include "customers/customer_handlers.hpp"

#include <gtest/gtest.h>

#include "customers/customer_schema.hpp"
#include "rest/testing/http_test_support.hpp"
#include "rest/testing/sqlite_test_database.hpp"

namespace micro_order::customers {
namespace {

using rest::testing::get;
using rest::testing::httpErrorOf;
using rest::testing::postJson;

class CustomerHandlersTest : public ::testing::Test {
protected:
    CustomerHandlersTest() { database_.migrate(kComponent, customerMigrations()); }

    Response create(const std::string& body) { return handlers_.create(postJson("/customers/", body)); }

    rest::testing::FakeDatabase database_;
    CustomerRepository repository_{database_};
    CustomerHandlers handlers_{repository_};
};

TEST_F(CustomerHandlersTest, CreateAnswers201WithTheNewCustomer) {
    const auto response = create(R"({"email": "user@email.com", "address": "Moutain View, 33"})");
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(response.contentType, "application/json");
    EXPECT_EQ(response.body, R"({"id":1,"email":"user@email.com","address":"Moutain View, 33"})");
    EXPECT_EQ(repository_.find(1), (Customer{1, "user@email.com", "Moutain View, 33"}));
}

TEST_F(CustomerHandlersTest, CreateIgnoresAClientSuppliedId) {
    EXPECT_EQ(create(R"({"id": 7, "email": "a@b.co", "address": "A"})").body,
              R"({"id":1,"email":"a@b.co","address":"A"})");
}

TEST_F(CustomerHandlersTest, CreateRejectsAnInvalidBodyAndStoresNothing) {
    const auto error = httpErrorOf([&] { create(R"({"email": "nope"})"); });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.body, R"({"email":["Enter a valid email address."],"address":["This field is required."]})");
    EXPECT_TRUE(repository_.list(10, 0).empty());
}

TEST_F(CustomerHandlersTest, CreateRejectsAnEmptyBodyAsMissingFields) {
    EXPECT_EQ(httpErrorOf([&] { create(""); }).body,
              R"({"email":["This field is required."],"address":["This field is required."]})");
}

TEST_F(CustomerHandlersTest, CreateRejectsOtherMediaTypesWith415) {
    const auto error = httpErrorOf([&] { handlers_.create(postJson("/customers/", "email=a", "text/plain")); });
    EXPECT_EQ(error.status, 415);
    EXPECT_EQ(error.detail, "Unsupported media type \"text/plain\" in request.");
}

TEST_F(CustomerHandlersTest, CreateRejectsMalformedJsonWith400Detail) {
    const auto error = httpErrorOf([&] { create(R"({"email": )"); });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.detail.rfind("JSON parse error - ", 0), 0u);
    EXPECT_TRUE(error.body.empty());
}

TEST_F(CustomerHandlersTest, CreateRejectsAnArrayBody) {
    const auto error = httpErrorOf([&] { create("[]"); });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.detail, "Invalid data. Expected a dictionary, but got list.");
}

TEST_F(CustomerHandlersTest, ListAnswersAnArrayInIdOrder) {
    EXPECT_EQ(handlers_.list(get("/customers/")).body, "[]");
    create(R"({"email": "a@b.co", "address": "A"})");
    create(R"({"email": "c@d.co", "address": "C"})");
    const auto response = handlers_.list(get("/customers/"));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, R"([{"id":1,"email":"a@b.co","address":"A"},{"id":2,"email":"c@d.co","address":"C"}])");
    EXPECT_TRUE(response.headers.empty());
}

TEST_F(CustomerHandlersTest, ListPaginatesWithALinkToTheNextPage) {
    for (int i = 0; i < 3; ++i) {
        create(R"({"email": "a@b.co", "address": "A"})");
    }
    const auto first = handlers_.list(get("/customers/", {{"limit", "2"}}));
    EXPECT_EQ(first.body, R"([{"id":1,"email":"a@b.co","address":"A"},{"id":2,"email":"a@b.co","address":"A"}])");
    ASSERT_EQ(first.headers.size(), 1u);
    EXPECT_EQ(first.headers[0],
              (std::pair<std::string, std::string>{"Link", R"(</customers/?limit=2&offset=2>; rel="next")"}));
    const auto last = handlers_.list(get("/customers/", {{"limit", "2"}, {"offset", "2"}}));
    EXPECT_EQ(last.body, R"([{"id":3,"email":"a@b.co","address":"A"}])");
    EXPECT_TRUE(last.headers.empty());
}

TEST_F(CustomerHandlersTest, ListRejectsABadLimit) {
    const auto error = httpErrorOf([&] { handlers_.list(get("/customers/", {{"limit", "0"}})); });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.body, R"({"limit":["Ensure this value is greater than or equal to 1."]})");
}

TEST_F(CustomerHandlersTest, GetAnswersTheCustomer) {
    create(R"({"email": "a@b.co", "address": "A"})");
    const auto response = handlers_.get(get("/customers/1/", {}, {{"id", "1"}}));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, R"({"id":1,"email":"a@b.co","address":"A"})");
}

TEST_F(CustomerHandlersTest, GetAnswers404ForUnknownOrMalformedIds) {
    create(R"({"email": "a@b.co", "address": "A"})");
    for (const auto* id : {"2", "0", "-1", "abc"}) {
        const auto error = httpErrorOf([&] { handlers_.get(get("/customers/x/", {}, {{"id", id}})); });
        EXPECT_EQ(error.status, 404) << id;
        EXPECT_EQ(error.detail, "Not found.") << id;
    }
}

TEST_F(CustomerHandlersTest, RoutesCoverTheCollectionAndOneCustomer) {
    rest::testing::RecordingRouter router;
    addCustomerRoutes(router, handlers_);
    EXPECT_EQ(router.routes(),
              (std::vector<std::string>{"POST /customers/", "GET /customers/", "GET /customers/{id}/"}));
    EXPECT_EQ(router.call("POST /customers/", postJson("/customers/", R"({"email": "a@b.co", "address": "A"})")).status,
              201);
    EXPECT_EQ(router.call("GET /customers/{id}/", get("/customers/1", {}, {{"id", "1"}})).status, 200);
    EXPECT_EQ(router.call("GET /customers/", get("/customers")).body, R"([{"id":1,"email":"a@b.co","address":"A"}])");
}

TEST_F(CustomerHandlersTest, PostDeclaresASixteenKibBodyLimitAndGetsTheDefault) {
    rest::testing::RecordingRouter router;
    addCustomerRoutes(router, handlers_);
    EXPECT_EQ(router.options("POST /customers/").maxBodyBytes, 16384u);
    EXPECT_EQ(router.options("GET /customers/").maxBodyBytes, 0u);
}

}  // namespace
}  // namespace micro_order::customers
