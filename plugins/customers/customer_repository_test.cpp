#include "customers/customer_repository.hpp"

#include <Poco/Data/DataException.h>
#include <gtest/gtest.h>

#include <micro_order/testing/sqlite_test_database.hpp>

#include "customers/customer_schema.hpp"

namespace micro_order::customers {
namespace {

using Poco::Data::Keywords::now;

class CustomerRepositoryTest : public ::testing::Test {
protected:
    CustomerRepositoryTest() { database_.migrate(kComponent, customerMigrations()); }

    // The domain functions, writes each in a transaction and reads on the connection, as callers
    // run them.
    Customer insert(const NewCustomer& customer) {
        return database_.transactValue([&](Transaction& tx) { return insertCustomer(tx, customer); });
    }

    std::optional<Customer> find(std::int64_t id) {
        return database_.readValue([&](Connection& connection) { return findCustomer(connection, id); });
    }

    std::vector<Customer> list(std::int64_t limit, std::int64_t offset) {
        return database_.readValue([&](Connection& connection) { return listCustomers(connection, limit, offset); });
    }

    micro_order::testing::SqliteTestDatabase database_;
};

TEST_F(CustomerRepositoryTest, InsertAssignsIncreasingIds) {
    EXPECT_EQ(insert({"a@b.co", "A"}), (Customer{1, "a@b.co", "A"}));
    EXPECT_EQ(insert({"c@d.co", "C"}), (Customer{2, "c@d.co", "C"}));
}

TEST_F(CustomerRepositoryTest, FindReturnsTheStoredRow) {
    insert({"a@b.co", "A"});
    const auto inserted = insert({"ü@b.co", "Rua São João"});
    EXPECT_EQ(find(inserted.id), inserted);
}

TEST_F(CustomerRepositoryTest, FindReturnsNulloptForAnUnknownId) {
    insert({"a@b.co", "A"});
    EXPECT_EQ(find(2), std::nullopt);
    EXPECT_EQ(find(0), std::nullopt);
}

TEST_F(CustomerRepositoryTest, ListOrdersByIdAndHonoursLimitAndOffset) {
    for (int i = 1; i <= 5; ++i) {
        insert({"c" + std::to_string(i) + "@b.co", "A"});
    }
    const auto all = list(100, 0);
    ASSERT_EQ(all.size(), 5u);
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].id, static_cast<std::int64_t>(i + 1));
    }
    const auto page = list(2, 3);
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].id, 4);
    EXPECT_EQ(page[1].id, 5);
    EXPECT_TRUE(list(10, 5).empty());
}

TEST_F(CustomerRepositoryTest, SchemaRejectsMissingColumns) {
    auto session = database_.session();
    EXPECT_THROW((session << "INSERT INTO customers_customer (email) VALUES ('a@b.co')", now), Poco::Exception);
}

TEST_F(CustomerRepositoryTest, OneConnectionReusesItsStatementsWithFreshParameters) {
    insert({"a@b.co", "A"});
    insert({"it's@b.co", ""});
    database_.read([](Connection& connection) {
        EXPECT_EQ(findCustomer(connection, 3), std::nullopt);
        EXPECT_EQ(findCustomer(connection, 2), (Customer{2, "it's@b.co", ""}));
        EXPECT_EQ(findCustomer(connection, 1), (Customer{1, "a@b.co", "A"}));
        EXPECT_EQ(listCustomers(connection, 1, 1), (std::vector<Customer>{{2, "it's@b.co", ""}}));
        EXPECT_EQ(listCustomers(connection, 1, 0), (std::vector<Customer>{{1, "a@b.co", "A"}}));
    });
}

TEST(CustomerMigrations, StartAtVersionOneAndGrow) {
    const auto& steps = customerMigrations();
    ASSERT_FALSE(steps.empty());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        EXPECT_EQ(steps[i].version, static_cast<int>(i + 1));
        EXPECT_FALSE(steps[i].statements.empty());
    }
}

TEST(CustomerRepository, CreatesInATransactionWithoutPublishing) {
    micro_order::testing::SqliteTestDatabase database;
    database.migrate(kComponent, customerMigrations());
    CustomerRepository repository(database);
    const auto created = repository.create({"a@b.co", "A"});
    EXPECT_EQ(created, (Customer{1, "a@b.co", "A"}));
    EXPECT_EQ(repository.find(1), created);
    EXPECT_EQ(repository.list(10, 0), std::vector<Customer>{created});
    EXPECT_TRUE(database.published().empty());
}

TEST(CustomerRepository, FindCustomerWorksInsideTheCallersTransaction) {
    micro_order::testing::SqliteTestDatabase database;
    database.migrate(kComponent, customerMigrations());
    database.transact([](Transaction& tx) {
        const auto created = insertCustomer(tx, {"a@b.co", "A"});
        const auto second = insertCustomer(tx, {"c@d.co", "C"});
        EXPECT_EQ(second.id, created.id + 1);
        EXPECT_EQ(findCustomer(tx, created.id), created);
        EXPECT_EQ(findCustomer(tx, second.id), second);
    });
}

}  // namespace
}  // namespace micro_order::customers
