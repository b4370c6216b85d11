#include "orders/order_handlers.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <micro_order/testing/connector_test_database.hpp>
#include <regex>

#include "orders/order_schema.hpp"
#include "rest/testing/http_test_support.hpp"

namespace micro_order::orders {
namespace {

using micro_order::testing::makeTestDatabase;
using micro_order::testing::TestConnector;
using micro_order::testing::TestDatabase;
using rest::testing::get;
using rest::testing::httpErrorOf;
using rest::testing::postJson;

// Each test runs on SQLite and on PostgreSQL; ids are the ones the database gave (PostgreSQL's
// sequences skip the values of rolled-back runs).
class OrderHandlersTest : public ::testing::TestWithParam<TestConnector> {
protected:
    OrderHandlersTest() { database_.migrate(kComponent, orderMigrations()); }

    Response create(const std::string& body) { return handlers_.create(postJson("/orders/", body)); }

    // Creates orders for these customers, then ships the ones at the positions listed (0-based);
    // answers the ids of the orders created.
    std::vector<std::int64_t> seed(const std::vector<std::int64_t>& customers,
                                   const std::vector<std::size_t>& shipped = {}) {
        std::vector<std::int64_t> created;
        for (auto customer : customers) {
            created.push_back(repository_.create({customer}).id);
        }
        database_.transact([&](Transaction& tx) {
            for (auto position : shipped) {
                setOrderStatus(tx, created.at(position), OrderStatus::kShipped);
            }
        });
        return created;
    }

    // The id of the only order there is.
    std::int64_t onlyId() {
        const auto orders = repository_.list({}, 10, 0);
        return orders.size() == 1 ? orders[0].id : -1;
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

    std::unique_ptr<TestDatabase> owned_ = makeTestDatabase(GetParam());
    TestDatabase& database_ = *owned_;
    OrderRepository repository_{database_};
    OrderHandlers handlers_{repository_};
};

using Ids = std::vector<std::int64_t>;

TEST_P(OrderHandlersTest, CreateAnswers201WithAProcessingOrder) {
    const auto response = create(R"({"customer": 1})");
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(response.contentType, "application/json");
    EXPECT_TRUE(std::regex_match(
        response.body,
        std::regex(
            R"(\{"id":\d+,"status":"PROCESSING","customer":1,"made_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"\})")))
        << response.body;
    EXPECT_EQ(response.body.find(R"({"id":)" + std::to_string(onlyId()) + ","), 0u);
}

TEST_P(OrderHandlersTest, CreatePublishesExactlyOneOrdersCreate) {
    create(R"({"customer": 1})");
    create(R"({"customer": "4"})");
    const auto orders = repository_.list({}, 10, 0);
    ASSERT_EQ(orders.size(), 2u);
    const auto first = std::to_string(orders[0].id);
    const auto second = std::to_string(orders[1].id);
    const auto& published = database_.published();
    ASSERT_EQ(published.size(), 2u);
    EXPECT_EQ(published[0].exchange, "orders");
    EXPECT_EQ(published[0].routingKey, "orders.create");
    EXPECT_EQ(published[0].body, R"({"id":)" + first + R"(,"customer":1})");
    EXPECT_EQ(published[0].correlationId, "");
    EXPECT_EQ(published[0].orderId, orders[0].id);
    EXPECT_EQ(published[1].body, R"({"id":)" + second + R"(,"customer":4})");
    EXPECT_EQ(published[1].orderId, orders[1].id);
}

TEST_P(OrderHandlersTest, CreateIgnoresReadOnlyFields) {
    const auto response =
        create(R"({"customer": 2, "id": 50, "status": "CANCELLED", "made_at": "1999-01-01T00:00:00.000000Z"})");
    const auto order = repository_.find(onlyId());
    ASSERT_TRUE(order);
    EXPECT_NE(order->id, 50);
    EXPECT_EQ(order->status, OrderStatus::kProcessing);
    EXPECT_NE(order->madeAt, "1999-01-01T00:00:00.000000Z");
    EXPECT_EQ(response.body.find(R"({"id":)" + std::to_string(order->id) + R"(,"status":"PROCESSING","customer":2,)"),
              0u);
}

TEST_P(OrderHandlersTest, CreateRejectsABadCustomerAndPublishesNothing) {
    const auto error = httpErrorOf([&] { create(R"({"customer": -1})"); });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.body, R"({"customer":["Ensure this value is greater than or equal to 1."]})");
    EXPECT_TRUE(database_.published().empty());
    EXPECT_TRUE(repository_.list({}, 10, 0).empty());
}

TEST_P(OrderHandlersTest, CreateRejectsOtherMediaTypesWith415) {
    const auto error = httpErrorOf([&] { handlers_.create(postJson("/orders/", R"({"customer": 1})", "text/plain")); });
    EXPECT_EQ(error.status, 415);
    EXPECT_EQ(error.detail, "Unsupported media type \"text/plain\" in request.");
    EXPECT_TRUE(database_.published().empty());
}

TEST_P(OrderHandlersTest, CreateRejectsMalformedJson) {
    const auto error = httpErrorOf([&] { create("{customer: 1}"); });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.detail.rfind("JSON parse error - ", 0), 0u);
}

TEST_P(OrderHandlersTest, AFailingInsertAnswersAnErrorAndPublishesNothing) {
    // A column no insert fills, whose CHECK the default fails: every insert breaks.
    database_.execute("ALTER TABLE orders_order ADD COLUMN blocker INTEGER NOT NULL DEFAULT 0 CHECK (blocker <> 0)");
    EXPECT_ANY_THROW(create(R"({"customer": 1})"));
    EXPECT_TRUE(database_.published().empty());
}

TEST_P(OrderHandlersTest, ListFiltersByStatusAndCustomer) {
    const auto id = seed({1, 2, 1, 2}, {2, 3});
    EXPECT_EQ(ids(handlers_.list(get("/orders/"))), id);
    EXPECT_EQ(ids(handlers_.list(get("/orders/", {{"status", "SHIPPED"}}))), (Ids{id[2], id[3]}));
    EXPECT_EQ(ids(handlers_.list(get("/orders/", {{"customer", "1"}}))), (Ids{id[0], id[2]}));
    EXPECT_EQ(ids(handlers_.list(get("/orders/", {{"status", "PROCESSING"}, {"customer", "2"}}))), Ids{id[1]});
    EXPECT_EQ(ids(handlers_.list(get("/orders/", {{"status", ""}, {"customer", ""}}))), id);
}

TEST_P(OrderHandlersTest, ListRendersOrders) {
    const auto order = repository_.find(seed({1}).at(0));
    ASSERT_TRUE(order);
    EXPECT_EQ(handlers_.list(get("/orders/")).body, R"([{"id":)" + std::to_string(order->id) +
                                                        R"(,"status":"PROCESSING","customer":1,"made_at":")" +
                                                        order->madeAt + "\"}]");
}

TEST_P(OrderHandlersTest, ListLinksTheNextPageKeepingFilters) {
    const auto id = seed({1, 1, 1, 2});
    const auto first = handlers_.list(get("/orders/", {{"customer", "1"}, {"status", "PROCESSING"}, {"limit", "2"}}));
    EXPECT_EQ(ids(first), (Ids{id[0], id[1]}));
    EXPECT_EQ(link(first), R"(</orders/?customer=1&limit=2&offset=2&status=PROCESSING>; rel="next")");
    const auto second =
        handlers_.list(get("/orders/", {{"customer", "1"}, {"status", "PROCESSING"}, {"limit", "2"}, {"offset", "2"}}));
    EXPECT_EQ(ids(second), Ids{id[2]});
    EXPECT_EQ(link(second), "");
}

TEST_P(OrderHandlersTest, ListNamesEveryBadQueryParameter) {
    const auto error = httpErrorOf([&] {
        handlers_.list(get("/orders/", {{"limit", "1001"}, {"status", "LOST"}, {"customer", "x"}}));
    });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.body, R"({"limit":["Ensure this value is less than or equal to 1000."],)"
                          R"("status":["Select a valid choice. LOST is not one of the available choices."],)"
                          R"("customer":["A valid integer is required."]})");
}

TEST_P(OrderHandlersTest, GetAnswersTheOrderOr404) {
    const auto created = std::to_string(seed({9}).at(0));
    const auto unknown = std::to_string(std::stoll(created) + 1);
    const auto response = handlers_.get(get("/orders/" + created + "/", {}, {{"id", created}}));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body.find(R"({"id":)" + created + R"(,"status":"PROCESSING","customer":9,"made_at":")"), 0u);
    for (const std::string& id : {unknown, std::string("0"), std::string("x"), std::string("-1")}) {
        const auto error = httpErrorOf([&] { handlers_.get(get("/orders/x/", {}, {{"id", id}})); });
        EXPECT_EQ(error.status, 404) << id;
        EXPECT_EQ(error.detail, "Not found.");
    }
}

TEST_P(OrderHandlersTest, RoutesCoverTheCollectionAndOneOrder) {
    rest::testing::RecordingRouter router;
    addOrderRoutes(router, handlers_);
    EXPECT_EQ(router.routes(), (std::vector<std::string>{"POST /orders/", "GET /orders/", "GET /orders/{id}/"}));
    EXPECT_EQ(router.call("POST /orders/", postJson("/orders", R"({"customer": 1})")).status, 201);
    const auto id = std::to_string(onlyId());
    EXPECT_EQ(router.call("GET /orders/{id}/", get("/orders/" + id, {}, {{"id", id}})).status, 200);
    EXPECT_EQ(ids(router.call("GET /orders/", get("/orders"))), Ids{onlyId()});
}

TEST_P(OrderHandlersTest, PostDeclaresASixteenKibBodyLimitAndGetsTheDefault) {
    rest::testing::RecordingRouter router;
    addOrderRoutes(router, handlers_);
    EXPECT_EQ(router.options("POST /orders/").maxBodyBytes, 16384u);
    EXPECT_EQ(router.options("GET /orders/").maxBodyBytes, 0u);
}

INSTANTIATE_TEST_SUITE_P(Connectors, OrderHandlersTest, MICRO_ORDER_TEST_CONNECTORS);

}  // namespace
}  // namespace micro_order::orders
