#include "orders/order_counts.hpp"

#include <gtest/gtest.h>

#include <micro_order/testing/connector_test_database.hpp>

#include "orders/order_repository.hpp"
#include "orders/order_schema.hpp"

namespace micro_order::orders {
namespace {

using namespace std::chrono_literals;

class OrderCountsTest : public ::testing::TestWithParam<micro_order::testing::TestConnector> {
protected:
    OrderCountsTest() { database_.migrate(kComponent, orderMigrations()); }

    void add(OrderStatus status) {
        database_.transact([&](Transaction& tx) {
            const Order order = insertOrder(tx, 1, "2026-01-01T00:00:00.000000Z");
            setOrderStatus(tx, order.id, status);
        });
    }

    std::unique_ptr<micro_order::testing::TestDatabase> owned_ = micro_order::testing::makeTestDatabase(GetParam());
    micro_order::testing::TestDatabase& database_ = *owned_;
    std::chrono::steady_clock::time_point now_{};
};

TEST_P(OrderCountsTest, CountsEachStatusAndZeroForNone) {
    add(OrderStatus::kShipped);
    add(OrderStatus::kShipped);
    add(OrderStatus::kCancelled);
    const StatusCounts counts = database_.readValue([](Connection& c) { return countOrdersByStatus(c); });
    EXPECT_EQ(counts, (StatusCounts{0, 2, 1}));
}

TEST_P(OrderCountsTest, CountsAtMostOncePerIntervalHoweverOftenRead) {
    OrderCounts counts(database_, 1s, [this] { return now_; });
    add(OrderStatus::kProcessing);
    EXPECT_EQ(counts.count(OrderStatus::kProcessing), 1);
    add(OrderStatus::kProcessing);
    EXPECT_EQ(counts.count(OrderStatus::kProcessing), 1) << "read again within the second";
    now_ += 1s;
    EXPECT_EQ(counts.count(OrderStatus::kProcessing), 2);
}

INSTANTIATE_TEST_SUITE_P(Connectors, OrderCountsTest, MICRO_ORDER_TEST_CONNECTORS);

}  // namespace
}  // namespace micro_order::orders
