#include "orders/order_repository.hpp"

#include <array>
#include <stdexcept>
#include <string_view>

#include "orders/order_events.hpp"
#include "rest/timestamp.hpp"

namespace micro_order::orders {

namespace {

// Each distinct text is compiled once per connection, so the filters choose among fixed texts
// instead of building one per request. Indexed by (status ? 1 : 0) + (customer ? 2 : 0).
constexpr std::array<std::string_view, 4> kListOrders{
    "SELECT id, status, customer, made_at FROM orders_order ORDER BY id LIMIT ? OFFSET ?",
    "SELECT id, status, customer, made_at FROM orders_order WHERE status = ? ORDER BY id LIMIT ? OFFSET ?",
    "SELECT id, status, customer, made_at FROM orders_order WHERE customer = ? ORDER BY id LIMIT ? OFFSET ?",
    "SELECT id, status, customer, made_at FROM orders_order WHERE status = ? AND customer = ? "
    "ORDER BY id LIMIT ? OFFSET ?",
};

Order orderAt(const Statement& row) {
    return Order{row.int64(0), orderStatusFromInt(static_cast<int>(row.int64(1))), row.int64(2), row.text(3)};
}

}  // namespace

Order insertOrder(Connection& connection, std::int64_t customer, const std::string& madeAt) {
    constexpr auto kStatus = OrderStatus::kProcessing;
    auto& insert =
        connection.statement("INSERT INTO orders_order (status, customer, made_at) VALUES (?, ?, ?) RETURNING id");
    insert.bind(1, static_cast<std::int64_t>(kStatus)).bind(2, customer).bind(3, std::string_view(madeAt));
    if (!insert.step()) {
        throw std::logic_error("INSERT INTO orders_order returned no id");
    }
    const std::int64_t id = insert.int64(0);
    // Run to the end: an unfinished INSERT would keep the transaction from committing.
    insert.step();
    return Order{id, kStatus, customer, madeAt};
}

std::optional<Order> findOrder(Connection& connection, std::int64_t id) {
    auto& select = connection.statement("SELECT id, status, customer, made_at FROM orders_order WHERE id = ?");
    select.bind(1, id);
    if (!select.step()) {
        return std::nullopt;
    }
    auto order = orderAt(select);
    // Run to the end so the read ends here, not when the pooled connection is next used.
    select.step();
    return order;
}

std::vector<Order> listOrders(Connection& connection, const OrderFilter& filter, std::int64_t limit,
                              std::int64_t offset) {
    auto& select = connection.statement(kListOrders[(filter.status ? 1 : 0) + (filter.customer ? 2 : 0)]);
    int parameter = 1;
    if (filter.status) {
        select.bind(parameter++, static_cast<std::int64_t>(*filter.status));
    }
    if (filter.customer) {
        select.bind(parameter++, *filter.customer);
    }
    select.bind(parameter, limit).bind(parameter + 1, offset);
    std::vector<Order> orders;
    while (select.step()) {
        orders.push_back(orderAt(select));
    }
    return orders;
}

bool setOrderStatus(Connection& connection, std::int64_t orderId, OrderStatus status) {
    auto& update = connection.statement("UPDATE orders_order SET status = ? WHERE id = ?");
    update.bind(1, static_cast<std::int64_t>(status)).bind(2, orderId);
    update.step();
    return update.changes() > 0;
}

Order OrderRepository::create(const NewOrder& order) {
    return database_.transactValue([&](Transaction& tx) {
        Order created = insertOrder(tx, order.customer, rest::nowRfc3339());
        tx.publish(orderCreatedMessage(created));
        return created;
    });
}

std::optional<Order> OrderRepository::find(std::int64_t id) {
    return database_.readValue([&](Connection& connection) { return findOrder(connection, id); });
}

std::vector<Order> OrderRepository::list(const OrderFilter& filter, std::int64_t limit, std::int64_t offset) {
    return database_.readValue([&](Connection& connection) { return listOrders(connection, filter, limit, offset); });
}

}  // namespace micro_order::orders
