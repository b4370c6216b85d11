#include "customers/customer_openapi.hpp"

#include <gtest/gtest.h>

#include <micro_order/testing/connector_test_database.hpp>

#include "customers/customer_handlers.hpp"
#include "customers/customer_json.hpp"
#include "customers/customer_schema.hpp"
#include "rest/openapi_common.hpp"
#include "rest/testing/http_test_support.hpp"
#include "rest/testing/openapi_checks.hpp"

namespace micro_order::customers {
namespace {

using namespace rest::testing;

TEST(CustomerOpenApi, IsAnOpenApi30DocumentWithNoProblems) {
    const auto document = reparse(*customerOpenApi());
    EXPECT_EQ(document->getValue<std::string>("openapi").rfind("3.0.", 0), 0u);
    EXPECT_EQ(documentProblems(*document), std::vector<std::string>{});
}

// The routes come from handlers over a migrated database of each connector.
class CustomerOpenApiRoutes : public ::testing::TestWithParam<micro_order::testing::TestConnector> {};

TEST_P(CustomerOpenApiRoutes, DocumentsExactlyTheRoutesThePluginRegisters) {
    const auto owned = micro_order::testing::makeTestDatabase(GetParam());
    micro_order::testing::TestDatabase& database = *owned;
    database.migrate(kComponent, customerMigrations());
    CustomerRepository repository(database);
    CustomerHandlers handlers(repository);
    RecordingRouter router;
    addCustomerRoutes(router, handlers);
    const auto document = customerOpenApi();
    rest::openapi::addOpenApiRoute(router, *document);

    EXPECT_EQ(documentedRoutes(*reparse(*document)), sortedRoutes(router.routes(), "GET /openapi.json"));
    EXPECT_EQ(documentedRoutes(*reparse(*document)),
              (std::vector<std::string>{"GET /customers/", "GET /customers/{id}/", "POST /customers/"}));
}

INSTANTIATE_TEST_SUITE_P(Connectors, CustomerOpenApiRoutes, MICRO_ORDER_TEST_CONNECTORS);

TEST(CustomerOpenApi, CustomerSchemaHasTheFieldsRenderCustomerWrites) {
    const auto document = reparse(*customerOpenApi());
    const auto schema = document->getObject("components")->getObject("schemas")->getObject("Customer");
    EXPECT_EQ(keysOf(*schema->getObject("properties")),
              keysOf(*parseObject(customerJson(Customer{1, "a@b.cd", "Street"}))));
}

TEST(CustomerOpenApi, NewCustomerRequiresEmailAndAddress) {
    const auto document = reparse(*customerOpenApi());
    const auto schema = document->getObject("components")->getObject("schemas")->getObject("NewCustomer");
    const auto required = schema->getArray("required");
    ASSERT_EQ(required->size(), 2u);
    EXPECT_EQ(required->getElement<std::string>(0), "email");
    EXPECT_EQ(required->getElement<std::string>(1), "address");
    EXPECT_EQ(keysOf(*schema->getObject("properties")), (std::vector<std::string>{"email", "address"}));
}

}  // namespace
}  // namespace micro_order::customers
