// The shippings service as a micro-order plugin: migrates shippings_shipping, declares the
// workflow topology and serves /shippings/ (read-only; the workflow creates shippings) with its
// OpenAPI document.

#include <micro_order/plugin.hpp>
#include <optional>

#include "rest/openapi_common.hpp"
#include "shippings/shipping_handlers.hpp"
#include "shippings/shipping_openapi.hpp"
#include "shippings/shipping_repository.hpp"
#include "shippings/shipping_schema.hpp"
#include "workflow/workflow_topology.hpp"

namespace micro_order::shippings {
namespace {

class ShippingsPlugin : public Plugin {
public:
    void start(Context& context) override {
        context.database().migrate(kComponent, shippingMigrations());
        workflow::declareWorkflowTopology(context.broker());
        repository_.emplace(context.database());
        handlers_.emplace(*repository_);
        addShippingRoutes(context.http(), *handlers_);
        rest::openapi::addOpenApiRoute(context.http(), *shippingOpenApi());
    }

private:
    std::optional<ShippingRepository> repository_;
    std::optional<ShippingHandlers> handlers_;
};

}  // namespace
}  // namespace micro_order::shippings

MICRO_ORDER_PLUGIN("shippings", micro_order::shippings::ShippingsPlugin)
// A REST service takes no config keys: an empty schema, so that a key under its config: is an
// error rather than silently ignored.
MICRO_ORDER_PLUGIN_CONFIG_SCHEMA(R"(
type: object
description: the shippings REST service (no settings)
properties: {}
)")
