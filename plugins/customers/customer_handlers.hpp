#pragma once

#include <micro_order/http.hpp>

#include "customers/customer_repository.hpp"

namespace micro_order::customers {

/// POST /customers/, GET /customers/, GET /customers/{id}/. Stateless: safe on concurrent
/// worker threads.
class CustomerHandlers {
public:
    explicit CustomerHandlers(CustomerRepository& repository) : repository_(repository) {}

    Response create(const Request& request) const;
    Response list(const Request& request) const;
    Response get(const Request& request) const;

private:
    CustomerRepository& repository_;
};

/// Registers the three routes on `router`; `handlers` must outlive it.
void addCustomerRoutes(Router& router, const CustomerHandlers& handlers);

}  // namespace micro_order::customers
