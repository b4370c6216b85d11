#include "shippings/shipping_repository.hpp"

#include <array>
#include <stdexcept>
#include <string_view>

#include "rest/timestamp.hpp"

namespace micro_order::shippings {

namespace {

constexpr std::string_view kFindById = "SELECT id, order_id, status, shipped_at FROM shippings_shipping WHERE id = ?";
constexpr std::string_view kFindByOrder =
    "SELECT id, order_id, status, shipped_at FROM shippings_shipping WHERE order_id = ?";

// Each distinct text is compiled once per connection, so the filters choose among fixed texts
// instead of building one per request. Indexed by (status ? 1 : 0) + (order ? 2 : 0).
constexpr std::array<std::string_view, 4> kListShippings{
    "SELECT id, order_id, status, shipped_at FROM shippings_shipping ORDER BY id LIMIT ? OFFSET ?",
    "SELECT id, order_id, status, shipped_at FROM shippings_shipping WHERE status = ? "
    "ORDER BY id LIMIT ? OFFSET ?",
    "SELECT id, order_id, status, shipped_at FROM shippings_shipping WHERE order_id = ? "
    "ORDER BY id LIMIT ? OFFSET ?",
    "SELECT id, order_id, status, shipped_at FROM shippings_shipping WHERE status = ? AND order_id = ? "
    "ORDER BY id LIMIT ? OFFSET ?",
};

Shipping shippingAt(const Statement& row) {
    return Shipping{row.int64(0), row.int64(1), shippingStatusFromInt(static_cast<int>(row.int64(2))), row.text(3)};
}

// The one shipping `sql` selects with `value` bound, or nullopt.
std::optional<Shipping> findOne(Connection& connection, std::string_view sql, std::int64_t value) {
    auto& select = connection.statement(sql);
    select.bind(1, value);
    if (!select.step()) {
        return std::nullopt;
    }
    auto shipping = shippingAt(select);
    // Run to the end: an unfinished statement holds its read (or an UPDATE's write) open.
    select.step();
    return shipping;
}

}  // namespace

Shipping createShippingForOrder(Connection& connection, std::int64_t orderId) {
    if (auto existing = findShippingByOrder(connection, orderId)) {
        return std::move(*existing);
    }
    constexpr auto kStatus = ShippingStatus::kProcessing;
    const auto shippedAt = rest::nowRfc3339();
    auto& insert = connection.statement(
        "INSERT INTO shippings_shipping (order_id, status, shipped_at) VALUES (?, ?, ?) RETURNING id");
    insert.bind(1, orderId).bind(2, static_cast<std::int64_t>(kStatus)).bind(3, std::string_view(shippedAt));
    if (!insert.step()) {
        throw std::logic_error("INSERT INTO shippings_shipping returned no id");
    }
    const std::int64_t id = insert.int64(0);
    // Run to the end: an unfinished INSERT would keep the transaction from committing.
    insert.step();
    return Shipping{id, orderId, kStatus, shippedAt};
}

std::optional<Shipping> setShippingStatus(Connection& connection, std::int64_t shippingId, ShippingStatus status) {
    auto& update = connection.statement(
        "UPDATE shippings_shipping SET status = ? WHERE id = ? RETURNING id, order_id, status, shipped_at");
    update.bind(1, static_cast<std::int64_t>(status)).bind(2, shippingId);
    if (!update.step()) {
        return std::nullopt;
    }
    auto shipping = shippingAt(update);
    update.step();
    return shipping;
}

std::optional<Shipping> findShipping(Connection& connection, std::int64_t id) {
    return findOne(connection, kFindById, id);
}

std::optional<Shipping> findShippingByOrder(Connection& connection, std::int64_t orderId) {
    return findOne(connection, kFindByOrder, orderId);
}

std::vector<Shipping> listShippings(Connection& connection, const ShippingFilter& filter, std::int64_t limit,
                                    std::int64_t offset) {
    auto& select = connection.statement(kListShippings[(filter.status ? 1 : 0) + (filter.order ? 2 : 0)]);
    int parameter = 1;
    if (filter.status) {
        select.bind(parameter++, static_cast<std::int64_t>(*filter.status));
    }
    if (filter.order) {
        select.bind(parameter++, *filter.order);
    }
    select.bind(parameter, limit).bind(parameter + 1, offset);
    std::vector<Shipping> shippings;
    while (select.step()) {
        shippings.push_back(shippingAt(select));
    }
    return shippings;
}

std::optional<Shipping> ShippingRepository::find(std::int64_t id) {
    return database_.readValue([&](Connection& connection) { return findShipping(connection, id); });
}

std::vector<Shipping> ShippingRepository::list(const ShippingFilter& filter, std::int64_t limit, std::int64_t offset) {
    return database_.readValue(
        [&](Connection& connection) { return listShippings(connection, filter, limit, offset); });
}

}  // namespace micro_order::shippings
