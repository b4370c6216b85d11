#include "customers/customer_repository.hpp"

#include <Poco/Data/DataException.h>
#include <gtest/gtest.h>

#include <micro_order/testing/connector_test_database.hpp>

#include "customers/customer_schema.hpp"

namespace micro_order::customers {
namespace {

class CustomerRepositoryTest : public ::testing::TestWithParam<micro_order::testing::TestConnector> {
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

    std::unique_ptr<micro_order::testing::TestDatabase> owned_ = micro_order::testing::makeTestDatabase(GetParam());
    micro_order::testing::TestDatabase& database_ = *owned_;
};

TEST_P(CustomerRepositoryTest, InsertAssignsIncreasingIds) {
    const auto first = insert({"a@b.co", "A"});
    EXPECT_GT(first.id, 0);
    EXPECT_EQ(first, (Customer{first.id, "a@b.co", "A"}));
    const auto second = insert({"c@d.co", "C"});
    EXPECT_GT(second.id, first.id);
    EXPECT_EQ(second, (Customer{second.id, "c@d.co", "C"}));
}

TEST_P(CustomerRepositoryTest, FindReturnsTheStoredRow) {
    insert({"a@b.co", "A"});
    const auto inserted = insert({"ü@b.co", "Rua São João"});
    EXPECT_EQ(find(inserted.id), inserted);
}

TEST_P(CustomerRepositoryTest, FindReturnsNulloptForAnUnknownId) {
    const auto inserted = insert({"a@b.co", "A"});
    EXPECT_EQ(find(inserted.id + 1), std::nullopt);
    EXPECT_EQ(find(0), std::nullopt);
}

TEST_P(CustomerRepositoryTest, ListOrdersByIdAndHonoursLimitAndOffset) {
    std::vector<Customer> inserted;
    for (int i = 1; i <= 5; ++i) {
        inserted.push_back(insert({"c" + std::to_string(i) + "@b.co", "A"}));
    }
    EXPECT_EQ(list(100, 0), inserted);
    const auto page = list(2, 3);
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0], inserted[3]);
    EXPECT_EQ(page[1], inserted[4]);
    EXPECT_TRUE(list(10, 5).empty());
}

TEST_P(CustomerRepositoryTest, SchemaRejectsMissingColumns) {
    EXPECT_THROW(database_.execute("INSERT INTO customers_customer (email) VALUES ('a@b.co')"), std::exception);
    EXPECT_TRUE(list(10, 0).empty());
}

TEST_P(CustomerRepositoryTest, OneConnectionReusesItsStatementsWithFreshParameters) {
    const auto first = insert({"a@b.co", "A"});
    const auto second = insert({"it's@b.co", ""});
    database_.read([&](Connection& connection) {
        EXPECT_EQ(findCustomer(connection, second.id + 1), std::nullopt);
        EXPECT_EQ(findCustomer(connection, second.id), (Customer{second.id, "it's@b.co", ""}));
        EXPECT_EQ(findCustomer(connection, first.id), (Customer{first.id, "a@b.co", "A"}));
        EXPECT_EQ(listCustomers(connection, 1, 1), std::vector<Customer>{second});
        EXPECT_EQ(listCustomers(connection, 1, 0), std::vector<Customer>{first});
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

TEST_P(CustomerRepositoryTest, CreatesInATransactionWithoutPublishing) {
    CustomerRepository repository(database_);
    const auto created = repository.create({"a@b.co", "A"});
    EXPECT_EQ(created, (Customer{created.id, "a@b.co", "A"}));
    EXPECT_EQ(repository.find(created.id), created);
    EXPECT_EQ(repository.list(10, 0), std::vector<Customer>{created});
    EXPECT_TRUE(database_.published().empty());
}

TEST_P(CustomerRepositoryTest, FindCustomerWorksInsideTheCallersTransaction) {
    database_.transact([](Transaction& tx) {
        const auto created = insertCustomer(tx, {"a@b.co", "A"});
        const auto second = insertCustomer(tx, {"c@d.co", "C"});
        EXPECT_GT(second.id, created.id);
        EXPECT_EQ(findCustomer(tx, created.id), created);
        EXPECT_EQ(findCustomer(tx, second.id), second);
    });
}

INSTANTIATE_TEST_SUITE_P(Connectors, CustomerRepositoryTest, MICRO_ORDER_TEST_CONNECTORS);

}  // namespace
}  // namespace micro_order::customers
