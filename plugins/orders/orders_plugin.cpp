// The orders service as a micro-order plugin: migrates orders_order, declares the workflow
// topology (each new order publishes orders.create) and serves /orders/ with its OpenAPI document.

#include <micro_order/plugin.hpp>
#include <optional>

#include "orders/order_counts.hpp"
#include "orders/order_handlers.hpp"
#include "orders/order_openapi.hpp"
#include "orders/order_repository.hpp"
#include "orders/order_schema.hpp"
#include "rest/openapi_common.hpp"
#include "workflow/workflow_topology.hpp"

namespace micro_order::orders {
namespace {

class OrdersPlugin : public Plugin {
public:
    void start(Context& context) override {
        context.database().migrate(kComponent, orderMigrations());
        workflow::declareWorkflowTopology(context.broker());
        repository_.emplace(context.database());
        handlers_.emplace(*repository_);
        addOrderRoutes(context.http(), *handlers_);
        rest::openapi::addOpenApiRoute(context.http(), *orderOpenApi());
        // Orders by status on /metrics, for the status page and for alerts on a growing
        // PROCESSING count.
        counts_.emplace(context.database());
        for (std::size_t stored = 0; stored < kOrderStatusNames.size(); ++stored) {
            const auto status = static_cast<OrderStatus>(stored);
            context.metrics().gauge("micro_order_orders", "Orders by status",
                                    {{"status", std::string(kOrderStatusNames[stored])}},
                                    [this, status] { return static_cast<double>(counts_->count(status)); });
        }
    }

private:
    std::optional<OrderCounts> counts_;
    std::optional<OrderRepository> repository_;
    std::optional<OrderHandlers> handlers_;
};

}  // namespace
}  // namespace micro_order::orders

MICRO_ORDER_PLUGIN("orders", micro_order::orders::OrdersPlugin)
// A REST service takes no config keys: an empty schema, so that a key under its config: is an
// error rather than silently ignored.
MICRO_ORDER_PLUGIN_CONFIG_SCHEMA(R"(
type: object
description: the orders REST service (no settings)
properties: {}
)")
