#include "orders/order_openapi.hpp"

#include <gtest/gtest.h>

#include <micro_order/testing/connector_test_database.hpp>

#include "orders/order_handlers.hpp"
#include "orders/order_json.hpp"
#include "orders/order_schema.hpp"
#include "rest/openapi_common.hpp"
#include "rest/testing/http_test_support.hpp"
#include "rest/testing/openapi_checks.hpp"

namespace micro_order::orders {
namespace {

using namespace rest::testing;

TEST(OrderOpenApi, IsAnOpenApi30DocumentWithNoProblems) {
    const auto document = reparse(*orderOpenApi());
    EXPECT_EQ(document->getValue<std::string>("openapi").rfind("3.0.", 0), 0u);
    EXPECT_EQ(documentProblems(*document), std::vector<std::string>{});
}

// The routes come from handlers over a migrated database of each connector.
class OrderOpenApiRoutes : public ::testing::TestWithParam<micro_order::testing::TestConnector> {};

TEST_P(OrderOpenApiRoutes, DocumentsExactlyTheRoutesThePluginRegisters) {
    const auto owned = micro_order::testing::makeTestDatabase(GetParam());
    micro_order::testing::TestDatabase& database = *owned;
    database.migrate(kComponent, orderMigrations());
    OrderRepository repository(database);
    OrderHandlers handlers(repository);
    RecordingRouter router;
    addOrderRoutes(router, handlers);
    const auto document = orderOpenApi();
    rest::openapi::addOpenApiRoute(router, *document);

    EXPECT_EQ(documentedRoutes(*reparse(*document)), sortedRoutes(router.routes(), "GET /openapi.json"));
    EXPECT_EQ(documentedRoutes(*reparse(*document)),
              (std::vector<std::string>{"GET /orders/", "GET /orders/{id}/", "POST /orders/"}));
}

INSTANTIATE_TEST_SUITE_P(Connectors, OrderOpenApiRoutes, MICRO_ORDER_TEST_CONNECTORS);

TEST(OrderOpenApi, OrderSchemaHasTheFieldsRenderOrderWrites) {
    const auto document = reparse(*orderOpenApi());
    const auto schema = document->getObject("components")->getObject("schemas")->getObject("Order");
    const auto rendered = orderJson(Order{1, OrderStatus::kShipped, 2, "2026-11-26T12:00:00.000000Z"});
    EXPECT_EQ(keysOf(*schema->getObject("properties")), keysOf(*parseObject(rendered)));
}

TEST(OrderOpenApi, ListDocumentsTheStatusAndCustomerFilters) {
    const auto document = reparse(*orderOpenApi());
    const auto parameters =
        document->getObject("paths")->getObject("/orders/")->getObject("get")->getArray("parameters");
    std::vector<std::string> names;
    for (std::size_t i = 0; i < parameters->size(); ++i) {
        const auto parameter = parameters->getObject(static_cast<unsigned>(i));
        names.push_back(parameter->has("$ref") ? parameter->getValue<std::string>("$ref")
                                               : parameter->getValue<std::string>("name"));
    }
    EXPECT_EQ(names, (std::vector<std::string>{"#/components/parameters/Limit", "#/components/parameters/Offset",
                                               "status", "customer"}));
}

}  // namespace
}  // namespace micro_order::orders
