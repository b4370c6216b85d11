#pragma once

#include <cstdint>
#include <micro_order/database.hpp>
#include <optional>
#include <string>
#include <vector>

#include "orders/order.hpp"

namespace micro_order::orders {

// Queries on a caller's connection, so they can take part in the caller's transaction (the
// consumers plugin calls setOrderStatus inside a message handler's transaction).

/// Inserts a PROCESSING order made at `madeAt` and returns it with its new id. Run it inside
/// a transaction.
Order insertOrder(Connection& connection, std::int64_t customer, const std::string& madeAt);

/// The order with this id, or nullopt.
std::optional<Order> findOrder(Connection& connection, std::int64_t id);

/// Up to `limit` orders matching `filter` after skipping `offset`, ordered by id.
std::vector<Order> listOrders(Connection& connection, const OrderFilter& filter, std::int64_t limit,
                              std::int64_t offset);

/// Sets the status of an order; false when there is no such order.
bool setOrderStatus(Connection& connection, std::int64_t orderId, OrderStatus status);

/// The same queries over a Database: reads on a pooled connection, writes in a transaction.
class OrderRepository {
public:
    explicit OrderRepository(Database& database) : database_(database) {}

    /// Inserts a PROCESSING order and publishes `orders.create` in the same transaction: both
    /// commit or neither does.
    Order create(const NewOrder& order);
    std::optional<Order> find(std::int64_t id);
    std::vector<Order> list(const OrderFilter& filter, std::int64_t limit, std::int64_t offset);

private:
    Database& database_;
};

}  // namespace micro_order::orders
