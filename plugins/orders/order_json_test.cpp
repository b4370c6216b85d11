#include "orders/order_json.hpp"

#include <gtest/gtest.h>

namespace micro_order::orders {
namespace {

TEST(RenderOrder, RendersTheContractBody) {
    const Order order{1, OrderStatus::kProcessing, 1, "2026-11-26T12:00:00.123456Z"};
    EXPECT_EQ(orderJson(order),
              R"({"id":1,"status":"PROCESSING","customer":1,"made_at":"2026-11-26T12:00:00.123456Z"})");
}

TEST(RenderOrder, RendersEveryStatusByName) {
    EXPECT_EQ(orderJson(Order{7, OrderStatus::kShipped, 3, "t"}),
              R"({"id":7,"status":"SHIPPED","customer":3,"made_at":"t"})");
    EXPECT_EQ(orderJson(Order{8, OrderStatus::kCancelled, 3, "t"}),
              R"({"id":8,"status":"CANCELLED","customer":3,"made_at":"t"})");
}

TEST(OrderStatus, IsStoredAsFixedIntegers) {
    EXPECT_EQ(static_cast<int>(OrderStatus::kProcessing), 0);
    EXPECT_EQ(static_cast<int>(OrderStatus::kShipped), 1);
    EXPECT_EQ(static_cast<int>(OrderStatus::kCancelled), 2);
    EXPECT_EQ(orderStatusFromInt(1), OrderStatus::kShipped);
    EXPECT_THROW(orderStatusFromInt(3), std::out_of_range);
    EXPECT_THROW(orderStatusFromInt(-1), std::out_of_range);
}

TEST(OrderStatus, ParsesExactNamesOnly) {
    EXPECT_EQ(parseOrderStatus("PROCESSING"), OrderStatus::kProcessing);
    EXPECT_EQ(parseOrderStatus("SHIPPED"), OrderStatus::kShipped);
    EXPECT_EQ(parseOrderStatus("CANCELLED"), OrderStatus::kCancelled);
    EXPECT_EQ(parseOrderStatus("shipped"), std::nullopt);
    EXPECT_EQ(parseOrderStatus("SUCCESS"), std::nullopt);
    EXPECT_EQ(toString(OrderStatus::kCancelled), "CANCELLED");
}

}  // namespace
}  // namespace micro_order::orders
