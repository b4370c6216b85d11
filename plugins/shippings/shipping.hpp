#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace micro_order::shippings {

/// Stored as these integers; rendered as their names.
enum class ShippingStatus : int {
    kProcessing = 0,
    kSuccess = 1,
    kFail = 2,
};

/// Names indexed by the stored integer.
inline constexpr std::array<std::string_view, 3> kShippingStatusNames{"PROCESSING", "SUCCESS", "FAIL"};

/// "PROCESSING", "SUCCESS" or "FAIL".
std::string_view toString(ShippingStatus status);
/// The status named `name` (exact, upper case), or nullopt.
std::optional<ShippingStatus> parseShippingStatus(std::string_view name);
/// The status stored as `value`; throws std::out_of_range for an integer no status has.
ShippingStatus shippingStatusFromInt(int value);

struct Shipping {
    std::int64_t id = 0;
    std::int64_t order = 0;
    ShippingStatus status = ShippingStatus::kProcessing;
    std::string shippedAt;  ///< RFC 3339 UTC with microseconds

    bool operator==(const Shipping&) const = default;
};

/// Filters of GET /shippings/.
struct ShippingFilter {
    std::optional<ShippingStatus> status = std::nullopt;
    std::optional<std::int64_t> order = std::nullopt;
};

}  // namespace micro_order::shippings
