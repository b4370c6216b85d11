#include "workflow_handlers.hpp"

#include <gtest/gtest.h>

#include <customers/customer_schema.hpp>
#include <micro_order/testing/connector_test_database.hpp>
#include <orders/order_schema.hpp>
#include <shippings/shipping_schema.hpp>

namespace micro_order::consumers {
namespace {

/// The three services' tables in one database (SQLite, then PostgreSQL), and each step run the way
/// the host runs it.
class WorkflowHandlersTest : public ::testing::TestWithParam<micro_order::testing::TestConnector> {
protected:
    void SetUp() override {
        database_.migrate(customers::kComponent, customers::customerMigrations());
        database_.migrate(orders::kComponent, orders::orderMigrations());
        database_.migrate(shippings::kComponent, shippings::shippingMigrations());
    }

    void run(const std::string& step, const std::string& body, std::int64_t orderId = 0) {
        const WorkflowStep* found = findWorkflowStep(step);
        ASSERT_NE(found, nullptr);
        IncomingMessage message;
        message.queue = found->queue;
        message.body = body;
        message.orderId = orderId;
        database_.transact([&](Transaction& tx) { found->handler(message, tx); });
    }

    // The first column of the first row of `sql` (0 when there is no row).
    std::int64_t count(const std::string& sql) {
        return database_.readValue([&](Connection& connection) {
            auto& query = connection.statement(sql);
            return query.step() ? query.int64(0) : 0;
        });
    }

    std::unique_ptr<micro_order::testing::TestDatabase> owned_ = micro_order::testing::makeTestDatabase(GetParam());
    micro_order::testing::TestDatabase& database_ = *owned_;
};

TEST_P(WorkflowHandlersTest, OrderCreatedMakesOneShippingAndRequestsTheCustomer) {
    run("orders_create", R"({"id": 10, "customer": 3})");
    EXPECT_EQ(count("SELECT COUNT(*) FROM shippings_shipping WHERE order_id = 10 AND status = 0"), 1);
    ASSERT_EQ(database_.published().size(), 1u);
    const OutgoingMessage& sent = database_.published()[0];
    EXPECT_EQ(sent.exchange, "customers");
    EXPECT_EQ(sent.routingKey, "customers.request");
    EXPECT_EQ(sent.orderId, 10);
    const auto shipping = count("SELECT id FROM shippings_shipping WHERE order_id = 10");
    EXPECT_EQ(sent.body, R"({"id":)" + std::to_string(shipping) + R"(,"customer":3})");
}

TEST_P(WorkflowHandlersTest, OrderCreatedTwiceStillMakesOneShipping) {
    run("orders_create", R"({"id": 10, "customer": 3})");
    run("orders_create", R"({"id": 10, "customer": 3})");
    EXPECT_EQ(count("SELECT COUNT(*) FROM shippings_shipping WHERE order_id = 10"), 1);
}

TEST_P(WorkflowHandlersTest, CustomerRequestedAnswersWithTheCustomer) {
    database_.execute("INSERT INTO customers_customer (email, address) VALUES ('a@b.c', 'Rua 1')");
    const auto customer = count("SELECT MAX(id) FROM customers_customer");
    run("customers_request", R"({"id": 4, "customer": )" + std::to_string(customer) + "}");
    ASSERT_EQ(database_.published().size(), 1u);
    EXPECT_EQ(database_.published()[0].routingKey, "customers.detail");
    EXPECT_EQ(database_.published()[0].body, R"({"id":4,"customer":{"email":"a@b.c","address":"Rua 1"}})");
}

TEST_P(WorkflowHandlersTest, CustomerRequestedForUnknownCustomerAnswersEmptyNotPoison) {
    run("customers_request", R"({"id": 4, "customer": 999})");
    ASSERT_EQ(database_.published().size(), 1u);
    EXPECT_EQ(database_.published()[0].body, R"({"id":4,"customer":{}})");
}

TEST_P(WorkflowHandlersTest, CustomerDetailedSetsShippingSuccessAndTellsTheOrder) {
    run("orders_create", R"({"id": 21, "customer": 3})");
    const auto shipping = count("SELECT id FROM shippings_shipping WHERE order_id = 21");
    run("customers_detail",
        R"({"id": )" + std::to_string(shipping) + R"(, "customer": {"email": "a@b.c", "address": "x"}})");
    EXPECT_EQ(count("SELECT status FROM shippings_shipping WHERE order_id = 21"), 1);
    ASSERT_EQ(database_.published().size(), 2u);
    EXPECT_EQ(database_.published()[1].routingKey, "shippings.update");
    EXPECT_EQ(database_.published()[1].orderId, 21);
    EXPECT_EQ(database_.published()[1].body, R"({"id":)" + std::to_string(shipping) + R"(,"order":21,"status":1})");
}

TEST_P(WorkflowHandlersTest, CustomerDetailedWithoutCustomerFailsTheShipping) {
    run("orders_create", R"({"id": 22, "customer": 3})");
    const auto shipping = count("SELECT id FROM shippings_shipping WHERE order_id = 22");
    run("customers_detail", R"({"id": )" + std::to_string(shipping) + R"(, "customer": {}})");
    EXPECT_EQ(count("SELECT status FROM shippings_shipping WHERE order_id = 22"), 2);
    EXPECT_EQ(database_.published()[1].body, R"({"id":)" + std::to_string(shipping) + R"(,"order":22,"status":2})");
}

TEST_P(WorkflowHandlersTest, CustomerDetailedForUnknownShippingIsPoisonAndChangesNothing) {
    EXPECT_THROW(run("customers_detail", R"({"id": 777, "customer": {}})"), PoisonMessage);
    EXPECT_TRUE(database_.published().empty());
}

TEST_P(WorkflowHandlersTest, ShippingUpdatedShipsOrCancelsTheOrder) {
    database_.execute(
        "INSERT INTO orders_order (status, customer, made_at) VALUES (0, 1, '2026-01-01T00:00:00.000000Z')");
    database_.execute(
        "INSERT INTO orders_order (status, customer, made_at) VALUES (0, 2, '2026-01-01T00:00:00.000000Z')");
    const auto first = std::to_string(count("SELECT id FROM orders_order WHERE customer = 1"));
    const auto second = std::to_string(count("SELECT id FROM orders_order WHERE customer = 2"));
    run("shippings_update", R"({"id": 1, "order": )" + first + R"(, "status": 1})");
    run("shippings_update", R"({"id": 2, "order": )" + second + R"(, "status": 2})");
    EXPECT_EQ(count("SELECT status FROM orders_order WHERE customer = 1"), 1);
    EXPECT_EQ(count("SELECT status FROM orders_order WHERE customer = 2"), 2);
    EXPECT_TRUE(database_.published().empty());
}

TEST_P(WorkflowHandlersTest, ShippingUpdatedForUnknownOrderIsPoison) {
    EXPECT_THROW(run("shippings_update", R"({"id": 1, "order": 404, "status": 1})"), PoisonMessage);
}

TEST(WorkflowSteps, UnknownStepNameIsNotFound) {
    EXPECT_EQ(findWorkflowStep("orders_delete"), nullptr);
    ASSERT_NE(findWorkflowStep("customers_detail"), nullptr);
    EXPECT_EQ(findWorkflowStep("customers_detail")->queue, "customers.detail");
}

INSTANTIATE_TEST_SUITE_P(Connectors, WorkflowHandlersTest, MICRO_ORDER_TEST_CONNECTORS);

}  // namespace
}  // namespace micro_order::consumers
