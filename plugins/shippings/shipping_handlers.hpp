#pragma once

#include <micro_order/http.hpp>

#include "shippings/shipping_repository.hpp"

namespace micro_order::shippings {

/// GET /shippings/ (?status=, ?order=, ?limit=, ?offset=) and GET /shippings/{id}/. Shippings
/// are created only by the workflow. Stateless: safe on concurrent worker threads.
class ShippingHandlers {
public:
    explicit ShippingHandlers(ShippingRepository& repository) : repository_(repository) {}

    Response list(const Request& request) const;
    Response get(const Request& request) const;

private:
    ShippingRepository& repository_;
};

/// Registers the two routes on `router`; `handlers` must outlive it.
void addShippingRoutes(Router& router, const ShippingHandlers& handlers);

}  // namespace micro_order::shippings
