#pragma once

// The broker topology of the micro-order workflow, shared by every plugin that takes part in it.
// Names and properties match the original services (direct, non-durable exchanges; durable
// queues bound with the routing key of the same name) so both can share one broker.

#include <array>
#include <micro_order/messaging.hpp>
#include <string_view>

namespace micro_order::workflow {

inline constexpr std::string_view kOrdersCreate = "orders.create";
inline constexpr std::string_view kCustomersRequest = "customers.request";
inline constexpr std::string_view kCustomersDetail = "customers.detail";
inline constexpr std::string_view kShippingsUpdate = "shippings.update";

struct Route {
    std::string_view exchange;
    std::string_view queue;  // also the routing key
};

inline constexpr std::array<Route, 4> kRoutes{{
    {"orders", kOrdersCreate},
    {"customers", kCustomersRequest},
    {"customers", kCustomersDetail},
    {"shippings", kShippingsUpdate},
}};

/// The exchange a workflow queue is bound to.
constexpr std::string_view exchangeOf(std::string_view queue) {
    for (const auto& route : kRoutes) {
        if (route.queue == queue) {
            return route.exchange;
        }
    }
    return {};
}

/// Declares the whole workflow topology, whichever part of it the calling plugin uses, so that
/// any single host can bring up an empty broker.
inline void declareWorkflowTopology(Broker& broker) {
    for (const char* exchange : {"orders", "customers", "shippings"}) {
        broker.declareExchange(exchange, "direct", false);
    }
    for (const auto& route : kRoutes) {
        broker.declareQueue({std::string(route.queue), std::string(route.exchange), std::string(route.queue)});
    }
}

}  // namespace micro_order::workflow
