#include "customers/customer_repository.hpp"

#include <Poco/Data/DataException.h>
#include <gtest/gtest.h>

#include "customers/customer_schema.hpp"
#include "rest/testing/sqlite_test_database.hpp"

namespace micro_order::customers {
namespace {

using Poco::Data::Keywords::now;

class CustomerRepositoryTest : public ::testing::Test {
protected:
    CustomerRepositoryTest() : session_(file_.open()) {
        rest::testing::applyMigrations(session_, customerMigrations());
    }

    rest::testing::TempSqliteFile file_;
    Poco::Data::Session session_;
};

TEST_F(CustomerRepositoryTest, InsertAssignsIncreasingIds) {
    EXPECT_EQ(insertCustomer(session_, {"a@b.co", "A"}), (Customer{1, "a@b.co", "A"}));
    EXPECT_EQ(insertCustomer(session_, {"c@d.co", "C"}), (Customer{2, "c@d.co", "C"}));
}

TEST_F(CustomerRepositoryTest, FindReturnsTheStoredRow) {
    insertCustomer(session_, {"a@b.co", "A"});
    const auto inserted = insertCustomer(session_, {"ü@b.co", "Rua São João"});
    EXPECT_EQ(findCustomer(session_, inserted.id), inserted);
}

TEST_F(CustomerRepositoryTest, FindReturnsNulloptForAnUnknownId) {
    insertCustomer(session_, {"a@b.co", "A"});
    EXPECT_EQ(findCustomer(session_, 2), std::nullopt);
    EXPECT_EQ(findCustomer(session_, 0), std::nullopt);
}

TEST_F(CustomerRepositoryTest, ListOrdersByIdAndHonoursLimitAndOffset) {
    for (int i = 1; i <= 5; ++i) {
        insertCustomer(session_, {"c" + std::to_string(i) + "@b.co", "A"});
    }
    const auto all = listCustomers(session_, 100, 0);
    ASSERT_EQ(all.size(), 5u);
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].id, static_cast<std::int64_t>(i + 1));
    }
    const auto page = listCustomers(session_, 2, 3);
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].id, 4);
    EXPECT_EQ(page[1].id, 5);
    EXPECT_TRUE(listCustomers(session_, 10, 5).empty());
}

TEST_F(CustomerRepositoryTest, SchemaRejectsMissingColumns) {
    EXPECT_THROW((session_ << "INSERT INTO customers_customer (email) VALUES ('a@b.co')", now), Poco::Exception);
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
    rest::testing::FakeDatabase database;
    database.migrate(kComponent, customerMigrations());
    CustomerRepository repository(database);
    const auto created = repository.create({"a@b.co", "A"});
    EXPECT_EQ(created, (Customer{1, "a@b.co", "A"}));
    EXPECT_EQ(repository.find(1), created);
    EXPECT_EQ(repository.list(10, 0), std::vector<Customer>{created});
    EXPECT_TRUE(database.published().empty());
}

TEST(CustomerRepository, FindCustomerWorksInsideTheCallersTransaction) {
    rest::testing::FakeDatabase database;
    database.migrate(kComponent, customerMigrations());
    database.transact([](Transaction& tx) {
        const auto created = insertCustomer(tx.session(), {"a@b.co", "A"});
        EXPECT_EQ(findCustomer(tx.session(), created.id), created);
    });
}

}  // namespace
}  // namespace micro_order::customers
