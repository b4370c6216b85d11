#include "orders/order_events.hpp"

#include <gtest/gtest.h>

namespace micro_order::orders {
namespace {

TEST(OrderCreatedMessage, IsOrdersCreateOnTheOrdersExchangeTaggedWithTheOrder) {
    const auto message = orderCreatedMessage(Order{42, OrderStatus::kProcessing, 7, "t"});
    EXPECT_EQ(message.exchange, "orders");
    EXPECT_EQ(message.routingKey, "orders.create");
    EXPECT_EQ(message.body, R"({"id":42,"customer":7})");
    EXPECT_EQ(message.correlationId, "");
    EXPECT_EQ(message.orderId, 42);
}

}  // namespace
}  // namespace micro_order::orders
