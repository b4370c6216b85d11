#pragma once

// The four steps of the order workflow. Each runs inside the host's transaction for one
// delivery: its database change and the message it emits commit together (outbox), and the
// host records the delivery in the inbox in the same commit.

#include <micro_order/messaging.hpp>
#include <string>

namespace micro_order::consumers {

/// orders.create → one Shipping PROCESSING for the order → customers.request.
void handleOrderCreated(const IncomingMessage& message, Transaction& tx);
/// customers.request → look the customer up → customers.detail (empty customer if unknown).
void handleCustomerRequested(const IncomingMessage& message, Transaction& tx);
/// customers.detail → shipping SUCCESS or FAIL → shippings.update.
void handleCustomerDetailed(const IncomingMessage& message, Transaction& tx);
/// shippings.update → order SHIPPED or CANCELLED.
void handleShippingUpdated(const IncomingMessage& message, Transaction& tx);

/// A workflow step by its name in the YAML (`handler:`), with its queue and the migrations of
/// the service whose database it works on.
struct WorkflowStep {
    std::string name;
    std::string queue;
    MessageHandler handler;
    std::string component;                     ///< whose schema the step needs
    const std::vector<Migration>* migrations;  ///< that component's steps
};

/// nullptr for an unknown name.
const WorkflowStep* findWorkflowStep(const std::string& name);
/// "orders_create, customers_request, ..." for error messages.
std::string workflowStepNames();

}  // namespace micro_order::consumers
