#pragma once

#include <cstdint>
#include <micro_order/database.hpp>
#include <optional>
#include <vector>

#include "shippings/shipping.hpp"

namespace micro_order::shippings {

// Queries on a caller's connection, so they can take part in the caller's transaction (the
// consumers plugin calls createShippingForOrder and setShippingStatus inside a message
// handler's transaction).

/// The shipping of `orderId`. Idempotent: returns the existing one if the order already has a
/// shipping, otherwise inserts a PROCESSING shipping shipped now. Run it inside a transaction.
Shipping createShippingForOrder(Connection& connection, std::int64_t orderId);

/// Sets the status of a shipping and returns the updated row (with its order id); nullopt when
/// there is no such shipping.
std::optional<Shipping> setShippingStatus(Connection& connection, std::int64_t shippingId, ShippingStatus status);

/// The shipping with this id, or nullopt.
std::optional<Shipping> findShipping(Connection& connection, std::int64_t id);

/// The shipping of this order, or nullopt.
std::optional<Shipping> findShippingByOrder(Connection& connection, std::int64_t orderId);

/// Up to `limit` shippings matching `filter` after skipping `offset`, ordered by id.
std::vector<Shipping> listShippings(Connection& connection, const ShippingFilter& filter, std::int64_t limit,
                                    std::int64_t offset);

/// Reads over a Database, on a pooled connection. (Shippings are written only by the workflow.)
class ShippingRepository {
public:
    explicit ShippingRepository(Database& database) : database_(database) {}

    std::optional<Shipping> find(std::int64_t id);
    std::vector<Shipping> list(const ShippingFilter& filter, std::int64_t limit, std::int64_t offset);

private:
    Database& database_;
};

}  // namespace micro_order::shippings
