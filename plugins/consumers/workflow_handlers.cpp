#include "workflow_handlers.hpp"

#include <array>
#include <customers/customer_repository.hpp>
#include <customers/customer_schema.hpp>
#include <orders/order_repository.hpp>
#include <orders/order_schema.hpp>
#include <shippings/shipping_repository.hpp>
#include <shippings/shipping_schema.hpp>
#include <workflow/workflow_topology.hpp>

#include "workflow_events.hpp"

namespace micro_order::consumers {
namespace {

void publish(Transaction& tx, std::string_view queue, std::string body, std::int64_t orderId = 0) {
    OutgoingMessage message;
    message.exchange = std::string(workflow::exchangeOf(queue));
    message.routingKey = std::string(queue);
    message.body = std::move(body);
    message.orderId = orderId;
    tx.publish(message);
}

}  // namespace

void handleOrderCreated(const IncomingMessage& message, Transaction& tx) {
    const OrderCreated event = parseOrderCreated(message.body);
    // One shipping per order: a redelivery finds the one already made.
    const shippings::Shipping shipping = shippings::createShippingForOrder(tx, event.order);
    publish(tx, workflow::kCustomersRequest, render(CustomerRequested{shipping.id, event.customer}), event.order);
}

void handleCustomerRequested(const IncomingMessage& message, Transaction& tx) {
    const CustomerRequested event = parseCustomerRequested(message.body);
    CustomerDetailed detail;
    detail.shipping = event.shipping;
    // An unknown customer is an answer, not poison: the order is cancelled downstream.
    if (const auto customer = customers::findCustomer(tx, event.customer)) {
        detail.customer = CustomerDetail{customer->email, customer->address};
    }
    publish(tx, workflow::kCustomersDetail, render(detail));
}

void handleCustomerDetailed(const IncomingMessage& message, Transaction& tx) {
    const CustomerDetailed event = parseCustomerDetailed(message.body);
    const bool found = event.customer.has_value();
    const auto shipping = shippings::setShippingStatus(
        tx, event.shipping, found ? shippings::ShippingStatus::kSuccess : shippings::ShippingStatus::kFail);
    if (!shipping) {
        throw PoisonMessage("no shipping with id " + std::to_string(event.shipping));
    }
    publish(tx, workflow::kShippingsUpdate, render(ShippingUpdated{shipping->id, shipping->order, found ? 1 : 2}),
            shipping->order);
}

void handleShippingUpdated(const IncomingMessage& message, Transaction& tx) {
    const ShippingUpdated event = parseShippingUpdated(message.body);
    const auto status = event.status == 1 ? orders::OrderStatus::kShipped : orders::OrderStatus::kCancelled;
    if (!orders::setOrderStatus(tx, event.order, status)) {
        throw PoisonMessage("no order with id " + std::to_string(event.order));
    }
}

const WorkflowStep* findWorkflowStep(const std::string& name) {
    static const std::array<WorkflowStep, 4> steps{{
        {"orders_create", std::string(workflow::kOrdersCreate), handleOrderCreated, shippings::kComponent,
         &shippings::shippingMigrations()},
        {"customers_request", std::string(workflow::kCustomersRequest), handleCustomerRequested, customers::kComponent,
         &customers::customerMigrations()},
        {"customers_detail", std::string(workflow::kCustomersDetail), handleCustomerDetailed, shippings::kComponent,
         &shippings::shippingMigrations()},
        {"shippings_update", std::string(workflow::kShippingsUpdate), handleShippingUpdated, orders::kComponent,
         &orders::orderMigrations()},
    }};
    for (const auto& step : steps) {
        if (step.name == name) {
            return &step;
        }
    }
    return nullptr;
}

std::string workflowStepNames() { return "orders_create, customers_request, customers_detail, shippings_update"; }

}  // namespace micro_order::consumers
