#include "orders/order_repository.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <micro_order/testing/connector_test_database.hpp>
#include <regex>

#include "orders/order_schema.hpp"

namespace micro_order::orders {
namespace {

using micro_order::testing::makeTestDatabase;
using micro_order::testing::TestConnector;
using micro_order::testing::TestDatabase;

// Each test runs on SQLite and on PostgreSQL. Ids come from the database (PostgreSQL's sequences
// skip the values of rolled-back runs), so tests keep the ids they were given.
class OrderRepositoryTest : public ::testing::TestWithParam<TestConnector> {
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

    std::unique_ptr<TestDatabase> owned_ = makeTestDatabase(GetParam());
    TestDatabase& database_ = *owned_;
};

using Ids = std::vector<std::int64_t>;

// The ids of `inserted` at these positions (0-based), in that order.
Ids idsAt(const std::vector<Order>& inserted, std::initializer_list<std::size_t> positions) {
    Ids result;
    for (std::size_t position : positions) {
        result.push_back(inserted.at(position).id);
    }
    return result;
}

TEST_P(OrderRepositoryTest, InsertStoresAProcessingOrder) {
    const auto order = insert(5, "2026-11-26T12:00:00.123456Z");
    EXPECT_GT(order.id, 0);
    EXPECT_EQ(order, (Order{order.id, OrderStatus::kProcessing, 5, "2026-11-26T12:00:00.123456Z"}));
    EXPECT_EQ(find(order.id), order);
    EXPECT_GT(insert(5, "t").id, order.id);
}

TEST_P(OrderRepositoryTest, FindReturnsNulloptForAnUnknownId) {
    const auto order = insert(5, "t");
    EXPECT_EQ(find(order.id + 1), std::nullopt);
    EXPECT_EQ(find(0), std::nullopt);
}

TEST_P(OrderRepositoryTest, SetOrderStatusUpdatesTheOrder) {
    const auto order = insert(5, "t");
    const auto other = insert(6, "t");
    EXPECT_TRUE(setStatus(order.id, OrderStatus::kShipped));
    EXPECT_EQ(find(order.id)->status, OrderStatus::kShipped);
    EXPECT_EQ(find(other.id), other);
    EXPECT_TRUE(setStatus(order.id, OrderStatus::kCancelled));
    EXPECT_EQ(find(order.id)->status, OrderStatus::kCancelled);
}

TEST_P(OrderRepositoryTest, SetOrderStatusIsTrueWhenTheStatusDoesNotChange) {
    const auto order = insert(5, "t");
    EXPECT_TRUE(setStatus(order.id, OrderStatus::kProcessing));
}

TEST_P(OrderRepositoryTest, SetOrderStatusReturnsFalseForAnUnknownOrder) {
    const auto order = insert(5, "t");
    EXPECT_FALSE(setStatus(order.id + 99, OrderStatus::kShipped));
    EXPECT_EQ(find(order.id)->status, OrderStatus::kProcessing);
}

TEST_P(OrderRepositoryTest, ListFiltersByStatusAndCustomerInIdOrder) {
    std::vector<Order> orders;
    for (std::int64_t customer : {1, 2, 1, 2}) {
        orders.push_back(insert(customer, "t"));
    }
    setStatus(orders[2].id, OrderStatus::kShipped);
    setStatus(orders[3].id, OrderStatus::kShipped);
    EXPECT_EQ(ids({}), idsAt(orders, {0, 1, 2, 3}));
    EXPECT_EQ(ids({.status = OrderStatus::kShipped}), idsAt(orders, {2, 3}));
    EXPECT_EQ(ids({.status = OrderStatus::kProcessing}), idsAt(orders, {0, 1}));
    EXPECT_EQ(ids({.status = OrderStatus::kCancelled}), Ids{});
    EXPECT_EQ(ids({.customer = 1}), idsAt(orders, {0, 2}));
    EXPECT_EQ(ids({.status = OrderStatus::kShipped, .customer = 2}), idsAt(orders, {3}));
    EXPECT_EQ(ids({.customer = 3}), Ids{});
}

TEST_P(OrderRepositoryTest, ListHonoursLimitAndOffset) {
    std::vector<Order> orders;
    for (int i = 0; i < 5; ++i) {
        orders.push_back(insert(1, "t"));
    }
    EXPECT_EQ(ids({}, 2, 0), idsAt(orders, {0, 1}));
    EXPECT_EQ(ids({}, 2, 3), idsAt(orders, {3, 4}));
    EXPECT_EQ(ids({.customer = 1}, 3, 1), idsAt(orders, {1, 2, 3}));
    EXPECT_EQ(ids({}, 2, 5), Ids{});
}

TEST_P(OrderRepositoryTest, ListCombinesBothFiltersWithLimitAndOffset) {
    std::vector<Order> orders;
    for (std::int64_t customer : {7, 8, 7, 7, 7, 7}) {
        orders.push_back(insert(customer, "t"));
    }
    for (std::size_t position : {1, 2, 3, 5}) {
        setStatus(orders[position].id, OrderStatus::kShipped);
    }
    // Customer 7's shipped orders are the 3rd, 4th and 6th.
    EXPECT_EQ(ids({.status = OrderStatus::kShipped, .customer = 7}, 2, 1), idsAt(orders, {3, 5}));
    EXPECT_EQ(ids({.status = OrderStatus::kShipped, .customer = 7}, 1, 0), idsAt(orders, {2}));
    EXPECT_EQ(ids({.status = OrderStatus::kProcessing, .customer = 7}, 5, 0), idsAt(orders, {0, 4}));
}

TEST_P(OrderRepositoryTest, OneTransactionReusesItsStatementsWithFreshParameters) {
    database_.transact([](Transaction& tx) {
        const auto first = insertOrder(tx, 5, "2026-01-01T00:00:00.000001Z");
        const auto second = insertOrder(tx, 6, "2026-01-01T00:00:00.000002Z");
        EXPECT_GT(second.id, first.id);
        EXPECT_EQ(findOrder(tx, second.id), second);
        EXPECT_EQ(findOrder(tx, second.id + 1), std::nullopt);
        EXPECT_EQ(findOrder(tx, first.id), first);
        EXPECT_TRUE(setOrderStatus(tx, second.id, OrderStatus::kCancelled));
        EXPECT_FALSE(setOrderStatus(tx, second.id + 1, OrderStatus::kCancelled));
        EXPECT_EQ(listOrders(tx, {.customer = 6}, 10, 0).at(0).status, OrderStatus::kCancelled);
        EXPECT_EQ(listOrders(tx, {.customer = 5}, 10, 0), std::vector<Order>{first});
    });
}

TEST_P(OrderRepositoryTest, SchemaIndexesTheFilters) {
    EXPECT_EQ(database_.indexNames("orders_order"),
              (std::vector<std::string>{"orders_order_customer_id", "orders_order_status_id"}));
}

INSTANTIATE_TEST_SUITE_P(Connectors, OrderRepositoryTest, MICRO_ORDER_TEST_CONNECTORS);

TEST(OrderMigrations, StartAtVersionOneAndGrow) {
    const auto& steps = orderMigrations();
    ASSERT_FALSE(steps.empty());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        EXPECT_EQ(steps[i].version, static_cast<int>(i + 1));
    }
}

class OrderRepositoryOverDatabaseTest : public ::testing::TestWithParam<TestConnector> {
protected:
    OrderRepositoryOverDatabaseTest() { database_.migrate(kComponent, orderMigrations()); }

    std::size_t storedOrders() { return repository_.list({}, 1000, 0).size(); }

    std::unique_ptr<TestDatabase> owned_ = makeTestDatabase(GetParam());
    TestDatabase& database_ = *owned_;
    OrderRepository repository_{database_};
};

TEST_P(OrderRepositoryOverDatabaseTest, CreatePublishesOrdersCreateInTheSameTransaction) {
    const auto order = repository_.create({3});
    EXPECT_GT(order.id, 0);
    EXPECT_EQ(order.status, OrderStatus::kProcessing);
    EXPECT_EQ(order.customer, 3);
    EXPECT_TRUE(std::regex_match(order.madeAt, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
    EXPECT_EQ(repository_.find(order.id), order);
    ASSERT_EQ(database_.published().size(), 1u);
    EXPECT_EQ(database_.published()[0].routingKey, "orders.create");
    EXPECT_EQ(database_.published()[0].body, R"({"id":)" + std::to_string(order.id) + R"(,"customer":3})");
    EXPECT_EQ(database_.published()[0].orderId, order.id);
}

TEST_P(OrderRepositoryOverDatabaseTest, AFailingInsertPublishesNothing) {
    // A column no insert fills, whose CHECK the default fails: every insert breaks, on both
    // connectors.
    database_.execute("ALTER TABLE orders_order ADD COLUMN blocker INTEGER NOT NULL DEFAULT 0 CHECK (blocker <> 0)");
    EXPECT_ANY_THROW(repository_.create({3}));
    EXPECT_TRUE(database_.published().empty());
    EXPECT_EQ(storedOrders(), 0u);
}

TEST_P(OrderRepositoryOverDatabaseTest, AFailingPublishStoresNoOrder) {
    database_.failPublishing();
    EXPECT_ANY_THROW(repository_.create({3}));
    EXPECT_TRUE(database_.published().empty());
    EXPECT_EQ(storedOrders(), 0u);
}

TEST_P(OrderRepositoryOverDatabaseTest, SetOrderStatusWorksInsideTheCallersTransaction) {
    const auto order = repository_.create({3});
    database_.transact([&](Transaction& tx) {
        EXPECT_TRUE(setOrderStatus(tx, order.id, OrderStatus::kShipped));
        EXPECT_FALSE(setOrderStatus(tx, order.id + 1, OrderStatus::kShipped));
    });
    EXPECT_EQ(repository_.find(order.id)->status, OrderStatus::kShipped);
}

INSTANTIATE_TEST_SUITE_P(Connectors, OrderRepositoryOverDatabaseTest, MICRO_ORDER_TEST_CONNECTORS);

}  // namespace
}  // namespace micro_order::orders
