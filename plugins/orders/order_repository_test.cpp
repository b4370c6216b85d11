#include "orders/order_repository.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <micro_order/testing/sqlite_test_database.hpp>
#include <regex>

#include "orders/order_schema.hpp"

namespace micro_order::orders {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

class OrderRepositoryTest : public ::testing::Test {
protected:
    OrderRepositoryTest() { database_.migrate(kComponent, orderMigrations()); }

    // The domain functions, writes each in a transaction and reads on the connection, as callers
    // run them.
    Order insert(std::int64_t customer, const std::string& madeAt) {
        return database_.transactValue([&](Transaction& tx) { return insertOrder(tx, customer, madeAt); });
    }

    bool setStatus(std::int64_t id, OrderStatus status) {
        return database_.transactValue([&](Transaction& tx) { return setOrderStatus(tx, id, status); });
    }

    std::optional<Order> find(std::int64_t id) {
        return database_.readValue([&](Connection& connection) { return findOrder(connection, id); });
    }

    std::vector<std::int64_t> ids(const OrderFilter& filter, std::int64_t limit = 100, std::int64_t offset = 0) {
        std::vector<std::int64_t> result;
        database_.read([&](Connection& connection) {
            for (const auto& order : listOrders(connection, filter, limit, offset)) {
                result.push_back(order.id);
            }
        });
        return result;
    }

    micro_order::testing::SqliteTestDatabase database_;
};

using Ids = std::vector<std::int64_t>;

TEST_F(OrderRepositoryTest, InsertStoresAProcessingOrder) {
    const auto order = insert(5, "2026-11-26T12:00:00.123456Z");
    EXPECT_EQ(order, (Order{1, OrderStatus::kProcessing, 5, "2026-11-26T12:00:00.123456Z"}));
    EXPECT_EQ(find(1), order);
    EXPECT_EQ(insert(5, "t").id, 2);
}

TEST_F(OrderRepositoryTest, FindReturnsNulloptForAnUnknownId) {
    insert(5, "t");
    EXPECT_EQ(find(2), std::nullopt);
}

TEST_F(OrderRepositoryTest, SetOrderStatusUpdatesTheOrder) {
    insert(5, "t");
    const auto other = insert(6, "t");
    EXPECT_TRUE(setStatus(1, OrderStatus::kShipped));
    EXPECT_EQ(find(1)->status, OrderStatus::kShipped);
    EXPECT_EQ(find(2), other);
    EXPECT_TRUE(setStatus(1, OrderStatus::kCancelled));
    EXPECT_EQ(find(1)->status, OrderStatus::kCancelled);
}

TEST_F(OrderRepositoryTest, SetOrderStatusIsTrueWhenTheStatusDoesNotChange) {
    insert(5, "t");
    EXPECT_TRUE(setStatus(1, OrderStatus::kProcessing));
}

TEST_F(OrderRepositoryTest, SetOrderStatusReturnsFalseForAnUnknownOrder) {
    insert(5, "t");
    EXPECT_FALSE(setStatus(99, OrderStatus::kShipped));
    EXPECT_EQ(find(1)->status, OrderStatus::kProcessing);
}

TEST_F(OrderRepositoryTest, ListFiltersByStatusAndCustomerInIdOrder) {
    insert(1, "t");  // 1
    insert(2, "t");  // 2
    insert(1, "t");  // 3
    insert(2, "t");  // 4
    setStatus(3, OrderStatus::kShipped);
    setStatus(4, OrderStatus::kShipped);
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
        insert(1, "t");
    }
    EXPECT_EQ(ids({}, 2, 0), (Ids{1, 2}));
    EXPECT_EQ(ids({}, 2, 3), (Ids{4, 5}));
    EXPECT_EQ(ids({.customer = 1}, 3, 1), (Ids{2, 3, 4}));
    EXPECT_EQ(ids({}, 2, 5), Ids{});
}

TEST_F(OrderRepositoryTest, ListCombinesBothFiltersWithLimitAndOffset) {
    for (std::int64_t customer : {7, 8, 7, 7, 7, 7}) {
        insert(customer, "t");
    }
    for (std::int64_t id : {2, 3, 4, 6}) {
        setStatus(id, OrderStatus::kShipped);
    }
    // Customer 7's shipped orders are 3, 4 and 6.
    EXPECT_EQ(ids({.status = OrderStatus::kShipped, .customer = 7}, 2, 1), (Ids{4, 6}));
    EXPECT_EQ(ids({.status = OrderStatus::kShipped, .customer = 7}, 1, 0), Ids{3});
    EXPECT_EQ(ids({.status = OrderStatus::kProcessing, .customer = 7}, 5, 0), (Ids{1, 5}));
}

TEST_F(OrderRepositoryTest, OneTransactionReusesItsStatementsWithFreshParameters) {
    database_.transact([](Transaction& tx) {
        const auto first = insertOrder(tx, 5, "2026-01-01T00:00:00.000001Z");
        const auto second = insertOrder(tx, 6, "2026-01-01T00:00:00.000002Z");
        EXPECT_EQ(first.id, 1);
        EXPECT_EQ(second.id, 2);
        EXPECT_EQ(findOrder(tx, 2), second);
        EXPECT_EQ(findOrder(tx, 3), std::nullopt);
        EXPECT_EQ(findOrder(tx, 1), first);
        EXPECT_TRUE(setOrderStatus(tx, 2, OrderStatus::kCancelled));
        EXPECT_FALSE(setOrderStatus(tx, 3, OrderStatus::kCancelled));
        EXPECT_EQ(listOrders(tx, {.customer = 6}, 10, 0).at(0).status, OrderStatus::kCancelled);
        EXPECT_EQ(listOrders(tx, {.customer = 5}, 10, 0), std::vector<Order>{first});
    });
}

TEST_F(OrderRepositoryTest, SchemaIndexesTheFilters) {
    std::vector<std::string> names;
    auto session = database_.session();
    session << "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders_order' ORDER BY name",
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

    std::size_t storedOrders() { return repository_.list({}, 1000, 0).size(); }

    micro_order::testing::SqliteTestDatabase database_;
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
        EXPECT_TRUE(setOrderStatus(tx, 1, OrderStatus::kShipped));
        EXPECT_FALSE(setOrderStatus(tx, 2, OrderStatus::kShipped));
    });
    EXPECT_EQ(repository_.find(1)->status, OrderStatus::kShipped);
}

}  // namespace
}  // namespace micro_order::orders
