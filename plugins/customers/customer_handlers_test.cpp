#include "customers/customer_handlers.hpp"

#include <gtest/gtest.h>

#include <micro_order/testing/connector_test_database.hpp>

#include "customers/customer_schema.hpp"
#include "rest/testing/http_test_support.hpp"

namespace micro_order::customers {
namespace {

using rest::testing::get;
using rest::testing::httpErrorOf;
using rest::testing::postJson;

class CustomerHandlersTest : public ::testing::TestWithParam<micro_order::testing::TestConnector> {
protected:
    CustomerHandlersTest() { database_.migrate(kComponent, customerMigrations()); }

    Response create(const std::string& body) { return handlers_.create(postJson("/customers/", body)); }

    // The ids of the stored customers, in id order, as text (ids are the database's:
    // PostgreSQL's sequences skip the values of rolled-back runs).
    std::vector<std::string> ids() {
        std::vector<std::string> result;
        for (const auto& customer : repository_.list(100, 0)) {
            result.push_back(std::to_string(customer.id));
        }
        return result;
    }

    std::unique_ptr<micro_order::testing::TestDatabase> owned_ = micro_order::testing::makeTestDatabase(GetParam());
    micro_order::testing::TestDatabase& database_ = *owned_;
    CustomerRepository repository_{database_};
    CustomerHandlers handlers_{repository_};
};

TEST_P(CustomerHandlersTest, CreateAnswers201WithTheNewCustomer) {
    const auto response = create(R"({"email": "user@email.com", "address": "Moutain View, 33"})");
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(response.contentType, "application/json");
    ASSERT_EQ(ids().size(), 1u);
    const std::int64_t id = std::stoll(ids()[0]);
    EXPECT_EQ(response.body, R"({"id":)" + ids()[0] + R"(,"email":"user@email.com","address":"Moutain View, 33"})");
    EXPECT_EQ(repository_.find(id), (Customer{id, "user@email.com", "Moutain View, 33"}));
}

TEST_P(CustomerHandlersTest, CreateIgnoresAClientSuppliedId) {
    // 7 is not a value the database would give the first customer (SQLite: 1; PostgreSQL: 1 or 2).
    const auto body = create(R"({"id": 7, "email": "a@b.co", "address": "A"})").body;
    ASSERT_EQ(ids().size(), 1u);
    EXPECT_NE(ids()[0], "7");
    EXPECT_EQ(body, R"({"id":)" + ids()[0] + R"(,"email":"a@b.co","address":"A"})");
}

TEST_P(CustomerHandlersTest, CreateRejectsAnInvalidBodyAndStoresNothing) {
    const auto error = httpErrorOf([&] { create(R"({"email": "nope"})"); });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.body, R"({"email":["Enter a valid email address."],"address":["This field is required."]})");
    EXPECT_TRUE(repository_.list(10, 0).empty());
}

TEST_P(CustomerHandlersTest, CreateRejectsAnEmptyBodyAsMissingFields) {
    EXPECT_EQ(httpErrorOf([&] { create(""); }).body,
              R"({"email":["This field is required."],"address":["This field is required."]})");
}

TEST_P(CustomerHandlersTest, CreateRejectsOtherMediaTypesWith415) {
    const auto error = httpErrorOf([&] { handlers_.create(postJson("/customers/", "email=a", "text/plain")); });
    EXPECT_EQ(error.status, 415);
    EXPECT_EQ(error.detail, "Unsupported media type \"text/plain\" in request.");
}

TEST_P(CustomerHandlersTest, CreateRejectsMalformedJsonWith400Detail) {
    const auto error = httpErrorOf([&] { create(R"({"email": )"); });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.detail.rfind("JSON parse error - ", 0), 0u);
    EXPECT_TRUE(error.body.empty());
}

TEST_P(CustomerHandlersTest, CreateRejectsAnArrayBody) {
    const auto error = httpErrorOf([&] { create("[]"); });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.detail, "Invalid data. Expected a dictionary, but got list.");
}

TEST_P(CustomerHandlersTest, ListAnswersAnArrayInIdOrder) {
    EXPECT_EQ(handlers_.list(get("/customers/")).body, "[]");
    create(R"({"email": "a@b.co", "address": "A"})");
    create(R"({"email": "c@d.co", "address": "C"})");
    const auto response = handlers_.list(get("/customers/"));
    EXPECT_EQ(response.status, 200);
    const auto id = ids();
    ASSERT_EQ(id.size(), 2u);
    EXPECT_EQ(response.body, R"([{"id":)" + id[0] + R"(,"email":"a@b.co","address":"A"},{"id":)" + id[1] +
                                 R"(,"email":"c@d.co","address":"C"}])");
    EXPECT_TRUE(response.headers.empty());
}

TEST_P(CustomerHandlersTest, ListPaginatesWithALinkToTheNextPage) {
    for (int i = 0; i < 3; ++i) {
        create(R"({"email": "a@b.co", "address": "A"})");
    }
    const auto id = ids();
    ASSERT_EQ(id.size(), 3u);
    const auto first = handlers_.list(get("/customers/", {{"limit", "2"}}));
    EXPECT_EQ(first.body, R"([{"id":)" + id[0] + R"(,"email":"a@b.co","address":"A"},{"id":)" + id[1] +
                              R"(,"email":"a@b.co","address":"A"}])");
    ASSERT_EQ(first.headers.size(), 1u);
    EXPECT_EQ(first.headers[0],
              (std::pair<std::string, std::string>{"Link", R"(</customers/?limit=2&offset=2>; rel="next")"}));
    const auto last = handlers_.list(get("/customers/", {{"limit", "2"}, {"offset", "2"}}));
    EXPECT_EQ(last.body, R"([{"id":)" + id[2] + R"(,"email":"a@b.co","address":"A"}])");
    EXPECT_TRUE(last.headers.empty());
}

TEST_P(CustomerHandlersTest, ListRejectsABadLimit) {
    const auto error = httpErrorOf([&] { handlers_.list(get("/customers/", {{"limit", "0"}})); });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.body, R"({"limit":["Ensure this value is greater than or equal to 1."]})");
}

TEST_P(CustomerHandlersTest, GetAnswersTheCustomer) {
    create(R"({"email": "a@b.co", "address": "A"})");
    const auto id = ids().at(0);
    const auto response = handlers_.get(get("/customers/" + id + "/", {}, {{"id", id}}));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, R"({"id":)" + id + R"(,"email":"a@b.co","address":"A"})");
}

TEST_P(CustomerHandlersTest, GetAnswers404ForUnknownOrMalformedIds) {
    create(R"({"email": "a@b.co", "address": "A"})");
    const auto unknown = std::to_string(std::stoll(ids().at(0)) + 1);
    for (const std::string& id : {unknown, std::string("0"), std::string("-1"), std::string("abc")}) {
        const auto error = httpErrorOf([&] { handlers_.get(get("/customers/x/", {}, {{"id", id}})); });
        EXPECT_EQ(error.status, 404) << id;
        EXPECT_EQ(error.detail, "Not found.") << id;
    }
}

TEST_P(CustomerHandlersTest, RoutesCoverTheCollectionAndOneCustomer) {
    rest::testing::RecordingRouter router;
    addCustomerRoutes(router, handlers_);
    EXPECT_EQ(router.routes(),
              (std::vector<std::string>{"POST /customers/", "GET /customers/", "GET /customers/{id}/"}));
    EXPECT_EQ(router.call("POST /customers/", postJson("/customers/", R"({"email": "a@b.co", "address": "A"})")).status,
              201);
    const auto id = ids().at(0);
    EXPECT_EQ(router.call("GET /customers/{id}/", get("/customers/" + id, {}, {{"id", id}})).status, 200);
    EXPECT_EQ(router.call("GET /customers/", get("/customers")).body,
              R"([{"id":)" + id + R"(,"email":"a@b.co","address":"A"}])");
}

TEST_P(CustomerHandlersTest, PostDeclaresASixteenKibBodyLimitAndGetsTheDefault) {
    rest::testing::RecordingRouter router;
    addCustomerRoutes(router, handlers_);
    EXPECT_EQ(router.options("POST /customers/").maxBodyBytes, 16384u);
    EXPECT_EQ(router.options("GET /customers/").maxBodyBytes, 0u);
}

INSTANTIATE_TEST_SUITE_P(Connectors, CustomerHandlersTest, MICRO_ORDER_TEST_CONNECTORS);

}  // namespace
}  // namespace micro_order::customers
