#include "shippings/shipping_json.hpp"

#include <gtest/gtest.h>

namespace micro_order::shippings {
namespace {

TEST(RenderShipping, RendersTheContractBody) {
    const Shipping shipping{1, 1, ShippingStatus::kProcessing, "2026-11-26T12:00:00.123456Z"};
    EXPECT_EQ(shippingJson(shipping),
              R"({"id":1,"order":1,"shipped_at":"2026-11-26T12:00:00.123456Z","status":"PROCESSING"})");
}

TEST(RenderShipping, RendersEveryStatusByName) {
    EXPECT_EQ(shippingJson(Shipping{2, 5, ShippingStatus::kSuccess, "t"}),
              R"({"id":2,"order":5,"shipped_at":"t","status":"SUCCESS"})");
    EXPECT_EQ(shippingJson(Shipping{3, 6, ShippingStatus::kFail, "t"}),
              R"({"id":3,"order":6,"shipped_at":"t","status":"FAIL"})");
}

TEST(ShippingStatus, IsStoredAsFixedIntegers) {
    EXPECT_EQ(static_cast<int>(ShippingStatus::kProcessing), 0);
    EXPECT_EQ(static_cast<int>(ShippingStatus::kSuccess), 1);
    EXPECT_EQ(static_cast<int>(ShippingStatus::kFail), 2);
    EXPECT_EQ(shippingStatusFromInt(2), ShippingStatus::kFail);
    EXPECT_THROW(shippingStatusFromInt(3), std::out_of_range);
}

TEST(ShippingStatus, ParsesExactNamesOnly) {
    EXPECT_EQ(parseShippingStatus("PROCESSING"), ShippingStatus::kProcessing);
    EXPECT_EQ(parseShippingStatus("SUCCESS"), ShippingStatus::kSuccess);
    EXPECT_EQ(parseShippingStatus("FAIL"), ShippingStatus::kFail);
    EXPECT_EQ(parseShippingStatus("SHIPPED"), std::nullopt);
    EXPECT_EQ(parseShippingStatus("fail"), std::nullopt);
    EXPECT_EQ(toString(ShippingStatus::kSuccess), "SUCCESS");
}

}  // namespace
}  // namespace micro_order::shippings
