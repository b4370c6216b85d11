#include "shippings/shipping_handlers.hpp"

#include <gtest/gtest.h>

#include <micro_order/testing/connector_test_database.hpp>

#include "rest/testing/http_test_support.hpp"
#include "shippings/shipping_schema.hpp"

namespace micro_order::shippings {
namespace {

using rest::testing::get;
using rest::testing::httpErrorOf;

class ShippingHandlersTest : public ::testing::TestWithParam<micro_order::testing::TestConnector> {
protected:
    ShippingHandlersTest() { database_.migrate(kComponent, shippingMigrations()); }

    // Creates shippings for these orders, as the workflow would; returns them. The list is made
    // inside the work: the work may run more than once, and only the committed run counts.
    std::vector<Shipping> seed(const std::vector<std::int64_t>& orders) {
        return database_.transactValue([&](Transaction& tx) {
            std::vector<Shipping> created;
            for (auto order : orders) {
                created.push_back(createShippingForOrder(tx, order));
            }
            return created;
        });
    }

    void setStatus(std::int64_t id, ShippingStatus status) {
        database_.transact([&](Transaction& tx) { setShippingStatus(tx, id, status); });
    }

    static std::string json(const Shipping& shipping) {
        return R"({"id":)" + std::to_string(shipping.id) + R"(,"order":)" + std::to_string(shipping.order) +
               R"(,"shipped_at":")" + shipping.shippedAt + R"(","status":")" + std::string(toString(shipping.status)) +
               "\"}";
    }

    std::unique_ptr<micro_order::testing::TestDatabase> owned_ = micro_order::testing::makeTestDatabase(GetParam());
    micro_order::testing::TestDatabase& database_ = *owned_;
    ShippingRepository repository_{database_};
    ShippingHandlers handlers_{repository_};
};

TEST_P(ShippingHandlersTest, ListAnswersAnEmptyArrayAtFirst) {
    const auto response = handlers_.list(get("/shippings/"));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "[]");
    EXPECT_TRUE(response.headers.empty());
}

TEST_P(ShippingHandlersTest, ListAnswersShippingsInIdOrder) {
    const auto shippings = seed({5, 3});
    EXPECT_EQ(handlers_.list(get("/shippings/")).body, "[" + json(shippings[0]) + "," + json(shippings[1]) + "]");
}

TEST_P(ShippingHandlersTest, ListFiltersByStatusAndOrder) {
    auto shippings = seed({5, 6, 7});
    setStatus(shippings[1].id, ShippingStatus::kSuccess);
    shippings[1].status = ShippingStatus::kSuccess;
    EXPECT_EQ(handlers_.list(get("/shippings/", {{"status", "SUCCESS"}})).body, "[" + json(shippings[1]) + "]");
    EXPECT_EQ(handlers_.list(get("/shippings/", {{"order", "7"}})).body, "[" + json(shippings[2]) + "]");
    EXPECT_EQ(handlers_.list(get("/shippings/", {{"status", "FAIL"}})).body, "[]");
    EXPECT_EQ(handlers_.list(get("/shippings/", {{"status", "PROCESSING"}, {"order", "5"}})).body,
              "[" + json(shippings[0]) + "]");
}

TEST_P(ShippingHandlersTest, ListLinksTheNextPageKeepingFilters) {
    seed({1, 2, 3});
    const auto response =
        handlers_.list(get("/shippings", {{"status", "PROCESSING"}, {"limit", "1"}, {"offset", "1"}}));
    ASSERT_EQ(response.headers.size(), 1u);
    EXPECT_EQ(response.headers[0].first, "Link");
    EXPECT_EQ(response.headers[0].second, R"(</shippings?limit=1&offset=2&status=PROCESSING>; rel="next")");
}

TEST_P(ShippingHandlersTest, ListNamesBadQueryParameters) {
    const auto error = httpErrorOf([&] {
        handlers_.list(get("/shippings/", {{"status", "SHIPPED"}, {"order", "0"}, {"offset", "-2"}}));
    });
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.body, R"({"offset":["Ensure this value is greater than or equal to 0."],)"
                          R"("status":["Select a valid choice. SHIPPED is not one of the available choices."],)"
                          R"("order":["Ensure this value is greater than or equal to 1."]})");
}

TEST_P(ShippingHandlersTest, GetAnswersTheShipping) {
    const auto shippings = seed({9});
    const auto id = std::to_string(shippings[0].id);
    const auto response = handlers_.get(get("/shippings/" + id + "/", {}, {{"id", id}}));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, json(shippings[0]));
}

TEST_P(ShippingHandlersTest, GetAnswers404ForUnknownOrMalformedIds) {
    const auto unknown = std::to_string(seed({9}).at(0).id + 1);
    for (const std::string& id : {unknown, std::string("0"), std::string("one"), std::string("-1")}) {
        const auto error = httpErrorOf([&] { handlers_.get(get("/shippings/x/", {}, {{"id", id}})); });
        EXPECT_EQ(error.status, 404) << id;
        EXPECT_EQ(error.detail, "Not found.");
    }
}

TEST_P(ShippingHandlersTest, RoutesAreReadOnly) {
    rest::testing::RecordingRouter router;
    addShippingRoutes(router, handlers_);
    EXPECT_EQ(router.routes(), (std::vector<std::string>{"GET /shippings/", "GET /shippings/{id}/"}));
    const auto id = std::to_string(seed({4}).at(0).id);
    EXPECT_EQ(router.call("GET /shippings/{id}/", get("/shippings/" + id, {}, {{"id", id}})).status, 200);
    EXPECT_EQ(router.call("GET /shippings/", get("/shippings")).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Connectors, ShippingHandlersTest, MICRO_ORDER_TEST_CONNECTORS);

}  // namespace
}  // namespace micro_order::shippings
