// The workflow consumers: one plugin, one instance per step. The YAML picks the step with
// `config: {handler: orders_create, prefetch: 150}` (the schema at the end) and the database it
// works on with `database:`.

#include <micro_order/plugin.hpp>
#include <stdexcept>
#include <workflow/workflow_topology.hpp>

#include "workflow_handlers.hpp"

namespace micro_order::consumers {
namespace {

class ConsumersPlugin final : public Plugin {
public:
    void start(Context& context) override {
        // The schema below declares both keys; the host checked them and filled in the default.
        const std::string name = context.config().getString("handler", "");
        const WorkflowStep* step = findWorkflowStep(name);
        if (!step) {
            throw std::runtime_error("config.handler must be one of " + workflowStepNames() + ", not \"" + name + "\"");
        }
        const int prefetch = context.config().getInt("prefetch");
        // The step may run in a host without its service plugin: make sure the schema is there.
        context.database().migrate(step->component, *step->migrations);
        workflow::declareWorkflowTopology(context.broker());
        context.broker().consume(step->queue, prefetch, step->handler);
        context.logger().information("%s consumes %s with prefetch %d", name, step->queue, prefetch);
    }
};

}  // namespace
}  // namespace micro_order::consumers

MICRO_ORDER_PLUGIN("consumers", micro_order::consumers::ConsumersPlugin)
MICRO_ORDER_PLUGIN_CONFIG_SCHEMA(R"(
type: object
description: one step of the order workflow, consuming its queue
required: [handler]
properties:
  handler:
    type: string
    description: which workflow step this instance runs
    enum: [orders_create, customers_request, customers_detail, shippings_update]
  prefetch:
    type: integer
    description: >-
      unacknowledged messages the broker sends ahead, handled in one transaction: with
      synchronous FULL (one fsync per commit) the original's PER_WORKER_QOS of 5 capped each step
      at five messages per fsync; at 150 a commit serves as many as have arrived (bench/README.md)
    minimum: 1
    maximum: 65535
    default: 150
)")
