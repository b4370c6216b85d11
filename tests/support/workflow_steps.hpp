#pragma once

// The workflow's four consumer steps as the shipped configs run them (etc/*.yaml): the fixtures
// that assemble hosts from them (tests/workflow, tests/cluster) share this one table.

#include <string>
#include <vector>

namespace micro_order::testing {

/// One consumer step: its handler name, the database it works on and the queue it consumes.
struct WorkflowStep {
    std::string name;
    std::string database;
    std::string queue;
};

inline const std::vector<WorkflowStep> kWorkflowSteps{{"orders_create", "shippings", "orders.create"},
                                                      {"customers_request", "customers", "customers.request"},
                                                      {"customers_detail", "shippings", "customers.detail"},
                                                      {"shippings_update", "orders", "shippings.update"}};

}  // namespace micro_order::testing
