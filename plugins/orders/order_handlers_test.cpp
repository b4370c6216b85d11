#include "orders/order_handlers.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <regex>

#include "orders/order_schema.hpp"
#include "rest/testing/http_test_support.hpp"
#include "rest/testing/sqlite_test_database.hpp"

namespace micro_order::orders {
namespace {

using Poco::Data::Keywords::now;
using rest::testing::get;
using rest::testing::httpErrorOf;
using rest::testing::postJson;

class OrderHandlersTest : public ::testing::Test {
protected:
    OrderHandlersTest() { database_.migrate(kComponent, orderMigrations()); }

    Response create(const std::string& body) { return handlers_.create(postJson("/orders/", body)); }

    // Creates orders for these customers, then ships the ones listed.
    void seed(const std::vector<std::int64_t>& customers, const std::vector<std::int64_t>& shipped = {}) {
        for (auto customer : customers) {
            repository_.create({customer});
        }
        database_.transact([&](Transaction& tx) {
            for (auto id : shipped) {
                setOrderStatus(tx, id, OrderStatus::kShipped);
            }
        });
    }

    // The ids in a list response body.
    static std::vector<std::int64_t> ids(const Response& response) {
        std::vector<std::int64_t> result;
        const auto array = Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < array->size(); ++i) {
            result.push_back(array->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("id"));
        }
        return result;
    }

    static std::string link(const Response& response) {
        for (const auto& [name, value] : response.headers) {
            if (name == "Link") {
                return value;
            }
        }
        return "";
    }

    rest::testing::FakeDatabase database_;
    OrderRepository repository_{database_};
    OrderHandlers handlers_{repository_};
};

using Ids = std::vector<std::int64_t>;

TEST_F(OrderHandlersTest, CreateAnswers201WithAProcessingOrder) {
    const auto response = create(R"({"customer": 1})");
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(response.contentType, "application/json");
    EXPECT_TRUE(std::regex_match(
        response.body,
        std::regex(
            R"(\{"id":1,"status":"PROCESSING","customer":1,"made_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"\})")))
        << response.body;
}

TEST_F(OrderHandlersTest, CreatePublishesExactlyOneOrdersCreate) {
    create(R"({"customer": 1})");
    create(R"({"customer": "4"})");
    const auto& published = database_.published();
    ASSERT_EQ(published.size(), 2u);
    EXPECT_EQ(published[0].exchange, "orders");
    EXPECT_EQ(published[0].routingKey, "orders.create");
    EXPECT_EQ(published[0].body, R"({"id":1,"customer":1})");
    EXPECT_EQ(published[0].correlationId, "");
    EXPECT_EQ(published[0].orderId, 1);
    EXPECT_EQ(published[1].body, R"({"id":2,"customer":4})");
    EXPECT_EQ(published[1].orderId, 2);
}

TEST_F(OrderHandlersTest, CreateIgnoresReadOnlyFields) {
    const auto response =
        create(R"({"customer": 2, "id": 50, "status": "CANCELLED", "made_at": "1999-01-01T00:00:00.000000Z"})");
    const auto order = repository_.find(1);
    ASSERT_TRUE(order);
    EXPECT_EQ(order->status, OrderStatus::kProcessing);
    EXPECT_NE(order->madeAt, "1999-01-01T00:00:00.000000Z");
    EXPECT_EQ(response.body.find(R"({"id":1,"status":"PROCESSING","customer":2,)"), 0u);
}

TEST_F(OrderHandlersTest, CreateRejectsABadCustomerAndPublishesNothing) {
    const auto error = httpErrorOf([&] { create(R"({"customer": -1})"); });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.body, R"({"customer":["Ensure this value is greater than or equal to 1."]})");
    EXPECT_TRUE(database_.published().empty());
    EXPECT_EQ(repository_.find(1), std::nullopt);
}

TEST_F(OrderHandlersTest, CreateRejectsOtherMediaTypesWith415) {
    const auto error = httpErrorOf([&] { handlers_.create(postJson("/orders/", R"({"customer": 1})", "text/plain")); });
    EXPECT_EQ(error.status, 415);
    EXPECT_EQ(error.detail, "Unsupported media type \"text/plain\" in request.");
    EXPECT_TRUE(database_.published().empty());
}

TEST_F(OrderHandlersTest, CreateRejectsMalformedJson) {
    const auto error = httpErrorOf([&] { create("{customer: 1}"); });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.detail.rfind("JSON parse error - ", 0), 0u);
}

TEST_F(OrderHandlersTest, AFailingInsertAnswersAnErrorAndPublishesNothing) {
    auto session = database_.session();
    session << "CREATE TRIGGER fail_insert BEFORE INSERT ON orders_order BEGIN SELECT RAISE(ABORT, 'no'); END", now;
    EXPECT_ANY_THROW(create(R"({"customer": 1})"));
    EXPECT_TRUE(database_.published().empty());
}

TEST_F(OrderHandlersTest, ListFiltersByStatusAndCustomer) {
    seed({1, 2, 1, 2}, {3, 4});
    EXPECT_EQ(ids(handlers_.list(get("/orders/"))), (Ids{1, 2, 3, 4}));
    EXPECT_EQ(ids(handlers_.list(get("/orders/", {{"status", "SHIPPED"}}))), (Ids{3, 4}));
    EXPECT_EQ(ids(handlers_.list(get("/orders/", {{"customer", "1"}}))), (Ids{1, 3}));
    EXPECT_EQ(ids(handlers_.list(get("/orders/", {{"status", "PROCESSING"}, {"customer", "2"}}))), Ids{2});
    EXPECT_EQ(ids(handlers_.list(get("/orders/", {{"status", ""}, {"customer", ""}}))), (Ids{1, 2, 3, 4}));
}

TEST_F(OrderHandlersTest, ListRendersOrders) {
    seed({1});
    const auto order = repository_.find(1);
    EXPECT_EQ(handlers_.list(get("/orders/")).body,
              R"([{"id":1,"status":"PROCESSING","customer":1,"made_at":")" + order->madeAt + "\"}]");
}

TEST_F(OrderHandlersTest, ListLinksTheNextPageKeepingFilters) {
    seed({1, 1, 1, 2});
    const auto first = handlers_.list(get("/orders/", {{"customer", "1"}, {"status", "PROCESSING"}, {"limit", "2"}}));
    EXPECT_EQ(ids(first), (Ids{1, 2}));
    EXPECT_EQ(link(first), R"(</orders/?customer=1&limit=2&offset=2&status=PROCESSING>; rel="next")");
    const auto second =
        handlers_.list(get("/orders/", {{"customer", "1"}, {"status", "PROCESSING"}, {"limit", "2"}, {"offset", "2"}}));
    EXPECT_EQ(ids(second), Ids{3});
    EXPECT_EQ(link(second), "");
}

TEST_F(OrderHandlersTest, ListNamesEveryBadQueryParameter) {
    const auto error = httpErrorOf([&] {
        handlers_.list(get("/orders/", {{"limit", "1001"}, {"status", "LOST"}, {"customer", "x"}}));
    });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.body, R"({"limit":["Ensure this value is less than or equal to 1000."],)"
                          R"("status":["Select a valid choice. LOST is not one of the available choices."],)"
                          R"("customer":["A valid integer is required."]})");
}

TEST_F(OrderHandlersTest, GetAnswersTheOrderOr404) {
    seed({9});
    const auto response = handlers_.get(get("/orders/1/", {}, {{"id", "1"}}));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body.find(R"({"id":1,"status":"PROCESSING","customer":9,"made_at":")"), 0u);
    for (const auto* id : {"2", "0", "x", "-1"}) {
        const auto error = httpErrorOf([&] { handlers_.get(get("/orders/x/", {}, {{"id", id}})); });
        EXPECT_EQ(error.status, 404) << id;
        EXPECT_EQ(error.detail, "Not found.");
    }
}

TEST_F(OrderHandlersTest, RoutesCoverTheCollectionAndOneOrder) {
    rest::testing::RecordingRouter router;
    addOrderRoutes(router, handlers_);
    EXPECT_EQ(router.routes(), (std::vector<std::string>{"POST /orders/", "GET /orders/", "GET /orders/{id}/"}));
    EXPECT_EQ(router.call("POST /orders/", postJson("/orders", R"({"customer": 1})")).status, 201);
    EXPECT_EQ(router.call("GET /orders/{id}/", get("/orders/1", {}, {{"id", "1"}})).status, 200);
    EXPECT_EQ(ids(router.call("GET /orders/", get("/orders"))), Ids{1});
}

TEST_F(OrderHandlersTest, PostDeclaresASixteenKibBodyLimitAndGetsTheDefault) {
    rest::testing::RecordingRouter router;
    addOrderRoutes(router, handlers_);
    EXPECT_EQ(router.options("POST /orders/").maxBodyBytes, 16384u);
    EXPECT_EQ(router.options("GET /orders/").maxBodyBytes, 0u);
}

}  // namespace
}  // namespace micro_order::orders
