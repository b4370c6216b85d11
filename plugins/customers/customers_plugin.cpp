// The customers service as a micro-order plugin: migrates customers_customer, declares the
// workflow topology and serves /customers/.

#include <micro_order/plugin.hpp>
#include <optional>

#include "customers/customer_handlers.hpp"
#include "customers/customer_repository.hpp"
#include "customers/customer_schema.hpp"
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
    }

private:
    std::optional<CustomerRepository> repository_;
    std::optional<CustomerHandlers> handlers_;
};

}  // namespace
}  // namespace micro_order::customers

MICRO_ORDER_PLUGIN("customers", micro_order::customers::CustomersPlugin)
