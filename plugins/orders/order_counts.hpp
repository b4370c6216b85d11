#pragma once

// Orders by status for /metrics (micro_order_orders{status=...}, which the status page reads):
// one GROUP BY per second at most, however often and by however many gauges it is read.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <micro_order/database.hpp>
#include <mutex>

#include "orders/order.hpp"

namespace micro_order::orders {

/// How many orders are in each status, indexed by the stored integer.
using StatusCounts = std::array<std::int64_t, kOrderStatusNames.size()>;

/// `SELECT status, COUNT(*) ... GROUP BY status` on `connection` (an index-only scan).
StatusCounts countOrdersByStatus(Connection& connection);

class OrderCounts {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    explicit OrderCounts(
        Database& database, std::chrono::steady_clock::duration maxAge = std::chrono::seconds(1),
        Clock clock = [] { return std::chrono::steady_clock::now(); });

    /// The orders in `status`, counted at most `maxAge` ago.
    std::int64_t count(OrderStatus status);

private:
    Database& database_;
    std::chrono::steady_clock::duration maxAge_;
    Clock clock_;
    std::mutex mutex_;
    StatusCounts counts_{};
    std::chrono::steady_clock::time_point countedAt_{};
    bool counted_ = false;
};

}  // namespace micro_order::orders
