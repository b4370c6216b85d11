#include "orders/order_counts.hpp"

namespace micro_order::orders {

StatusCounts countOrdersByStatus(Connection& connection) {
    StatusCounts counts{};
    auto& select = connection.statement("SELECT status, COUNT(*) FROM orders_order GROUP BY status");
    while (select.step()) {
        const std::int64_t status = select.int64(0);
        if (status >= 0 && status < static_cast<std::int64_t>(counts.size())) {
            counts[static_cast<std::size_t>(status)] = select.int64(1);
        }
    }
    return counts;
}

OrderCounts::OrderCounts(Database& database, std::chrono::steady_clock::duration maxAge, Clock clock)
    : database_(database), maxAge_(maxAge), clock_(std::move(clock)) {}

std::int64_t OrderCounts::count(OrderStatus status) {
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    if (!counted_ || now - countedAt_ >= maxAge_) {
        counts_ = database_.readValue([](Connection& connection) { return countOrdersByStatus(connection); });
        countedAt_ = now;
        counted_ = true;
    }
    return counts_[static_cast<std::size_t>(status)];
}

}  // namespace micro_order::orders
