// The customers service as a micro-order plugin: migrates customers_customer, declares the
// workflow topology and serves /customers/ with its OpenAPI document.

#include <micro_order/plugin.hpp>
#include <optional>

#include "customers/customer_handlers.hpp"
#include "customers/customer_openapi.hpp"
#include "customers/customer_repository.hpp"
#include "customers/customer_schema.hpp"
#include "rest/openapi_common.hpp"
#include "workflow/workflow_topology.hpp"

namespace micro_order::customers {
namespace {

class CustomersPlugin : public Plugin {
public:
    void start(Context& context) override {
        context.database().migrate(kComponent, customerMigrations());
        workflow::declareWorkflowTopology(context.broker());
        repository_.emplace(context.database());
        handlers_.emplace(*repository_);
        addCustomerRoutes(context.http(), *handlers_);
        rest::openapi::addOpenApiRoute(context.http(), *customerOpenApi());
    }

private:
    std::optional<CustomerRepository> repository_;
    std::optional<CustomerHandlers> handlers_;
};

}  // namespace
}  // namespace micro_order::customers

MICRO_ORDER_PLUGIN("customers", micro_order::customers::CustomersPlugin)
// A REST service takes no config keys: an empty schema, so that a key under its config: is an
// error rather than silently ignored.
MICRO_ORDER_PLUGIN_CONFIG_SCHEMA(R"(
type: object
description: the customers REST service (no settings)
properties: {}
)")
