// The workflow consumers: one plugin, one instance per step. The YAML picks the step with
// `config: {handler: orders_create, prefetch: 150}` and the database it works on with `database:`.

#include <micro_order/plugin.hpp>
#include <stdexcept>
#include <workflow/workflow_topology.hpp>

#include "workflow_handlers.hpp"

namespace micro_order::consumers {
namespace {

/// The deliveries already prefetched are handled in one transaction: with `synchronous: FULL`
/// (one fsync per commit) the original's PER_WORKER_QOS of 5 capped each step at five messages
/// per fsync, 26-40% below NORMAL end to end; at 150 a commit serves as many as have arrived
/// (bench/README.md, issue 12), while an idle consumer still handles a lone message at once.
constexpr int kDefaultPrefetch = 150;

class ConsumersPlugin final : public Plugin {
public:
    void start(Context& context) override {
        const std::string name = context.config().getString("handler", "");
        const WorkflowStep* step = findWorkflowStep(name);
        if (!step) {
            throw std::runtime_error("config.handler must be one of " + workflowStepNames() + ", not \"" + name + "\"");
        }
        const int prefetch = context.config().getInt("prefetch", kDefaultPrefetch);
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
