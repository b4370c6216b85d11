#include "shippings/shipping_openapi.hpp"

#include <gtest/gtest.h>

#include <micro_order/testing/connector_test_database.hpp>

#include "rest/openapi_common.hpp"
#include "rest/testing/http_test_support.hpp"
#include "rest/testing/openapi_checks.hpp"
#include "shippings/shipping_handlers.hpp"
#include "shippings/shipping_json.hpp"
#include "shippings/shipping_schema.hpp"

namespace micro_order::shippings {
namespace {

using namespace rest::testing;

TEST(ShippingOpenApi, IsAnOpenApi30DocumentWithNoProblems) {
    const auto document = reparse(*shippingOpenApi());
    EXPECT_EQ(document->getValue<std::string>("openapi").rfind("3.0.", 0), 0u);
    EXPECT_EQ(documentProblems(*document), std::vector<std::string>{});
}

// The routes come from handlers over a migrated database of each connector.
class ShippingOpenApiRoutes : public ::testing::TestWithParam<micro_order::testing::TestConnector> {};

TEST_P(ShippingOpenApiRoutes, DocumentsExactlyTheRoutesThePluginRegisters) {
    const auto owned = micro_order::testing::makeTestDatabase(GetParam());
    micro_order::testing::TestDatabase& database = *owned;
    database.migrate(kComponent, shippingMigrations());
    ShippingRepository repository(database);
    ShippingHandlers handlers(repository);
    RecordingRouter router;
    addShippingRoutes(router, handlers);
    const auto document = shippingOpenApi();
    rest::openapi::addOpenApiRoute(router, *document);

    EXPECT_EQ(documentedRoutes(*reparse(*document)), sortedRoutes(router.routes(), "GET /openapi.json"));
    EXPECT_EQ(documentedRoutes(*reparse(*document)),
              (std::vector<std::string>{"GET /shippings/", "GET /shippings/{id}/"}));
}

INSTANTIATE_TEST_SUITE_P(Connectors, ShippingOpenApiRoutes, MICRO_ORDER_TEST_CONNECTORS);

TEST(ShippingOpenApi, ShippingSchemaHasTheFieldsRenderShippingWrites) {
    const auto document = reparse(*shippingOpenApi());
    const auto schema = document->getObject("components")->getObject("schemas")->getObject("Shipping");
    const auto rendered = shippingJson(Shipping{1, 2, ShippingStatus::kSuccess, "2026-11-26T12:00:00.000000Z"});
    EXPECT_EQ(keysOf(*schema->getObject("properties")), keysOf(*parseObject(rendered)));
}

}  // namespace
}  // namespace micro_order::shippings
