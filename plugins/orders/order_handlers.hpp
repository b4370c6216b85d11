#pragma once

#include <micro_order/http.hpp>

#include "orders/order_repository.hpp"

namespace micro_order::orders {

/// POST /orders/, GET /orders/ (?status=, ?customer=, ?limit=, ?offset=), GET /orders/{id}/.
/// Stateless: safe on concurrent worker threads.
class OrderHandlers {
public:
    explicit OrderHandlers(OrderRepository& repository) : repository_(repository) {}

    Response create(const Request& request) const;
    Response list(const Request& request) const;
    Response get(const Request& request) const;

private:
    OrderRepository& repository_;
};

/// Registers the three routes on `router`; `handlers` must outlive it.
void addOrderRoutes(Router& router, const OrderHandlers& handlers);

}  // namespace micro_order::orders
