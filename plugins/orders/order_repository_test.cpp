#include "orders/order_repository.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "orders/order_schema.hpp"
#include "rest/testing/sqlite_test_database.hpp"

namespace micro_order::orders {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

class OrderRepositoryTest : public ::testing::Test {
protected:
    OrderRepositoryTest() : session_(file_.open()) { rest::testing::applyMigrations(session_, orderMigrations()); }

    std::vector<std::int64_t> ids(const OrderFilter& filter, std::int64_t limit = 100, std::int64_t offset = 0) {
        std::vector<std::int64_t> result;
        for (const auto& order : listOrders(session_, filter, limit, offset)) {
            result.push_back(order.id);
        }
        return result;
    }

    rest::testing::TempSqliteFile file_;
    Poco::Data::Session session_;
};

using Ids = std::vector<std::int64_t>;

TEST_F(OrderRepositoryTest, InsertStoresAProcessingOrder) {
    const auto order = insertOrder(session_, 5, "2026-11-26T12:00:00.123456Z");
    EXPECT_EQ(order, (Order{1, OrderStatus::kProcessing, 5, "2026-11-26T12:00:00.123456Z"}));
    EXPECT_EQ(findOrder(session_, 1), order);
    EXPECT_EQ(insertOrder(session_, 5, "t").id, 2);
}

TEST_F(OrderRepositoryTest, FindReturnsNulloptForAnUnknownId) {
    insertOrder(session_, 5, "t");
    EXPECT_EQ(findOrder(session_, 2), std::nullopt);
}

TEST_F(OrderRepositoryTest, SetOrderStatusUpdatesTheOrder) {
    insertOrder(session_, 5, "t");
    const auto other = insertOrder(session_, 6, "t");
    EXPECT_TRUE(setOrderStatus(session_, 1, OrderStatus::kShipped));
    EXPECT_EQ(findOrder(session_, 1)->status, OrderStatus::kShipped);
    EXPECT_EQ(findOrder(session_, 2), other);
    EXPECT_TRUE(setOrderStatus(session_, 1, OrderStatus::kCancelled));
    EXPECT_EQ(findOrder(session_, 1)->status, OrderStatus::kCancelled);
}

TEST_F(OrderRepositoryTest, SetOrderStatusIsTrueWhenTheStatusDoesNotChange) {
    insertOrder(session_, 5, "t");
    EXPECT_TRUE(setOrderStatus(session_, 1, OrderStatus::kProcessing));
}

TEST_F(OrderRepositoryTest, SetOrderStatusReturnsFalseForAnUnknownOrder) {
    insertOrder(session_, 5, "t");
    EXPECT_FALSE(setOrderStatus(session_, 99, OrderStatus::kShipped));
    EXPECT_EQ(findOrder(session_, 1)->status, OrderStatus::kProcessing);
}

TEST_F(OrderRepositoryTest, ListFiltersByStatusAndCustomerInIdOrder) {
    insertOrder(session_, 1, "t");  // 1
    insertOrder(session_, 2, "t");  // 2
    insertOrder(session_, 1, "t");  // 3
    insertOrder(session_, 2, "t");  // 4
    setOrderStatus(session_, 3, OrderStatus::kShipped);
    setOrderStatus(session_, 4, OrderStatus::kShipped);
    EXPECT_EQ(ids({}), (Ids{1, 2, 3, 4}));
    EXPECT_EQ(ids({.status = OrderStatus::kShipped}), (Ids{3, 4}));
    EXPECT_EQ(ids({.status = OrderStatus::kProcessing}), (Ids{1, 2}));
    EXPECT_EQ(ids({.status = OrderStatus::kCancelled}), Ids{});
    EXPECT_EQ(ids({.customer = 1}), (Ids{1, 3}));
    EXPECT_EQ(ids({.status = OrderStatus::kShipped, .customer = 2}), Ids{4});
    EXPECT_EQ(ids({.customer = 3}), Ids{});
}

TEST_F(OrderRepositoryTest, ListHonoursLimitAndOffset) {
    for (int i = 0; i < 5; ++i) {
        insertOrder(session_, 1, "t");
    }
    EXPECT_EQ(ids({}, 2, 0), (Ids{1, 2}));
    EXPECT_EQ(ids({}, 2, 3), (Ids{4, 5}));
    EXPECT_EQ(ids({.customer = 1}, 3, 1), (Ids{2, 3, 4}));
    EXPECT_EQ(ids({}, 2, 5), Ids{});
}

TEST_F(OrderRepositoryTest, SchemaIndexesTheFilters) {
    std::vector<std::string> names;
    session_ << "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders_order' ORDER BY name",
        into(names), now;
    EXPECT_EQ(names, (std::vector<std::string>{"orders_order_customer_id", "orders_order_status_id"}));
}

TEST(OrderMigrations, StartAtVersionOneAndGrow) {
    const auto& steps = orderMigrations();
    ASSERT_FALSE(steps.empty());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        EXPECT_EQ(steps[i].version, static_cast<int>(i + 1));
    }
}

class OrderRepositoryOverDatabaseTest : public ::testing::Test {
protected:
    OrderRepositoryOverDatabaseTest() { database_.migrate(kComponent, orderMigrations()); }

    std::size_t storedOrders() {
        auto session = database_.session();
        return listOrders(session, {}, 1000, 0).size();
    }

    rest::testing::FakeDatabase database_;
    OrderRepository repository_{database_};
};

TEST_F(OrderRepositoryOverDatabaseTest, CreatePublishesOrdersCreateInTheSameTransaction) {
    const auto order = repository_.create({3});
    EXPECT_EQ(order.id, 1);
    EXPECT_EQ(order.status, OrderStatus::kProcessing);
    EXPECT_EQ(order.customer, 3);
    EXPECT_TRUE(std::regex_match(order.madeAt, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
    EXPECT_EQ(repository_.find(1), order);
    ASSERT_EQ(database_.published().size(), 1u);
    EXPECT_EQ(database_.published()[0].routingKey, "orders.create");
    EXPECT_EQ(database_.published()[0].body, R"({"id":1,"customer":3})");
    EXPECT_EQ(database_.published()[0].orderId, 1);
}

TEST_F(OrderRepositoryOverDatabaseTest, AFailingInsertPublishesNothing) {
    auto session = database_.session();
    session << "CREATE TRIGGER fail_insert BEFORE INSERT ON orders_order BEGIN SELECT RAISE(ABORT, 'no'); END", now;
    EXPECT_ANY_THROW(repository_.create({3}));
    EXPECT_TRUE(database_.published().empty());
    EXPECT_EQ(storedOrders(), 0u);
}

TEST_F(OrderRepositoryOverDatabaseTest, AFailingPublishStoresNoOrder) {
    database_.failPublishing();
    EXPECT_ANY_THROW(repository_.create({3}));
    EXPECT_TRUE(database_.published().empty());
    EXPECT_EQ(storedOrders(), 0u);
}

TEST_F(OrderRepositoryOverDatabaseTest, SetOrderStatusWorksInsideTheCallersTransaction) {
    repository_.create({3});
    database_.transact([](Transaction& tx) {
        EXPECT_TRUE(setOrderStatus(tx.session(), 1, OrderStatus::kShipped));
        EXPECT_FALSE(setOrderStatus(tx.session(), 2, OrderStatus::kShipped));
    });
    EXPECT_EQ(repository_.find(1)->status, OrderStatus::kShipped);
}

}  // namespace
}  // namespace micro_order::orders
