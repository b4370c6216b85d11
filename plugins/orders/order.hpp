#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace micro_order::orders {

/// Stored as these integers; rendered as their names.
enum class OrderStatus : int {
    kProcessing = 0,
    kShipped = 1,
    kCancelled = 2,
};

/// Names indexed by the stored integer.
inline constexpr std::array<std::string_view, 3> kOrderStatusNames{"PROCESSING", "SHIPPED", "CANCELLED"};

/// "PROCESSING", "SHIPPED" or "CANCELLED".
std::string_view toString(OrderStatus status);
/// The status named `name` (exact, upper case), or nullopt.
std::optional<OrderStatus> parseOrderStatus(std::string_view name);
/// The status stored as `value`; throws std::out_of_range for an integer no status has.
OrderStatus orderStatusFromInt(int value);

struct Order {
    std::int64_t id = 0;
    OrderStatus status = OrderStatus::kProcessing;
    std::int64_t customer = 0;
    std::string madeAt;  ///< RFC 3339 UTC with microseconds

    bool operator==(const Order&) const = default;
};

/// The largest customer id an order takes: the original's Django PositiveIntegerField (validated
/// only `>= 0`) holds a 32-bit integer, and it publishes no order beyond it. Kept here so that
/// every orders.create message this service sends is one the original could send too.
inline constexpr std::int64_t kMaxCustomerId = 2147483647;

/// A validated POST /orders/ body.
struct NewOrder {
    std::int64_t customer = 0;
};

/// Filters of GET /orders/.
struct OrderFilter {
    std::optional<OrderStatus> status = std::nullopt;
    std::optional<std::int64_t> customer = std::nullopt;
};

}  // namespace micro_order::orders
