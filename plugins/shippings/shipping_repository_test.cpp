#include "shippings/shipping_repository.hpp"

#include <gtest/gtest.h>

#include <micro_order/testing/sqlite_test_database.hpp>
#include <regex>

#include "shippings/shipping_schema.hpp"

namespace micro_order::shippings {
namespace {

using Poco::Data::Keywords::now;

class ShippingRepositoryTest : public ::testing::Test {
protected:
    ShippingRepositoryTest() { database_.migrate(kComponent, shippingMigrations()); }

    // The domain functions, writes each in a transaction and reads on the connection, as callers
    // run them.
    Shipping create(std::int64_t order) {
        return database_.transactValue([&](Transaction& tx) { return createShippingForOrder(tx, order); });
    }

    std::optional<Shipping> setStatus(std::int64_t id, ShippingStatus status) {
        return database_.transactValue([&](Transaction& tx) { return setShippingStatus(tx, id, status); });
    }

    std::optional<Shipping> find(std::int64_t id) {
        return database_.readValue([&](Connection& connection) { return findShipping(connection, id); });
    }

    std::optional<Shipping> findByOrder(std::int64_t order) {
        return database_.readValue([&](Connection& connection) { return findShippingByOrder(connection, order); });
    }

    std::vector<std::int64_t> ids(const ShippingFilter& filter, std::int64_t limit = 100, std::int64_t offset = 0) {
        std::vector<std::int64_t> result;
        database_.read([&](Connection& connection) {
            for (const auto& shipping : listShippings(connection, filter, limit, offset)) {
                result.push_back(shipping.id);
            }
        });
        return result;
    }

    micro_order::testing::SqliteTestDatabase database_;
};

using Ids = std::vector<std::int64_t>;

TEST_F(ShippingRepositoryTest, CreateInsertsAProcessingShippingForTheOrder) {
    const auto shipping = create(7);
    EXPECT_EQ(shipping.id, 1);
    EXPECT_EQ(shipping.order, 7);
    EXPECT_EQ(shipping.status, ShippingStatus::kProcessing);
    EXPECT_TRUE(std::regex_match(shipping.shippedAt, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
    EXPECT_EQ(find(1), shipping);
    EXPECT_EQ(findByOrder(7), shipping);
}

TEST_F(ShippingRepositoryTest, CreateIsIdempotentPerOrder) {
    const auto first = create(7);
    const auto other = create(8);
    EXPECT_EQ(create(7), first);
    EXPECT_EQ(create(8), other);
    EXPECT_EQ(ids({}), (Ids{1, 2}));
}

TEST_F(ShippingRepositoryTest, CreateReturnsTheExistingShippingWhateverItsStatus) {
    const auto first = create(7);
    const auto updated = setStatus(first.id, ShippingStatus::kFail);
    EXPECT_EQ(create(7), updated);
}

TEST_F(ShippingRepositoryTest, SchemaAllowsOneShippingPerOrder) {
    create(7);
    auto session = database_.session();
    EXPECT_THROW((session << "INSERT INTO shippings_shipping (order_id, status, shipped_at) VALUES (7, 0, 't')", now),
                 Poco::Exception);
}

TEST_F(ShippingRepositoryTest, SetShippingStatusReturnsTheUpdatedRow) {
    const auto shipping = create(7);
    create(8);
    const auto updated = setStatus(shipping.id, ShippingStatus::kSuccess);
    ASSERT_TRUE(updated);
    EXPECT_EQ(*updated, (Shipping{shipping.id, 7, ShippingStatus::kSuccess, shipping.shippedAt}));
    EXPECT_EQ(find(shipping.id), updated);
    EXPECT_EQ(find(2)->status, ShippingStatus::kProcessing);
}

TEST_F(ShippingRepositoryTest, SetShippingStatusReturnsNulloptForAnUnknownShipping) {
    create(7);
    EXPECT_EQ(setStatus(2, ShippingStatus::kSuccess), std::nullopt);
    EXPECT_EQ(setStatus(0, ShippingStatus::kFail), std::nullopt);
    EXPECT_EQ(find(1)->status, ShippingStatus::kProcessing);
}

TEST_F(ShippingRepositoryTest, FindReturnsNulloptForUnknownIdsAndOrders) {
    create(7);
    EXPECT_EQ(find(2), std::nullopt);
    EXPECT_EQ(findByOrder(1), std::nullopt);
}

TEST_F(ShippingRepositoryTest, ListFiltersByStatusAndOrderInIdOrder) {
    for (std::int64_t order : {10, 11, 12, 13}) {
        create(order);
    }
    setStatus(2, ShippingStatus::kSuccess);
    setStatus(4, ShippingStatus::kSuccess);
    setStatus(3, ShippingStatus::kFail);
    EXPECT_EQ(ids({}), (Ids{1, 2, 3, 4}));
    EXPECT_EQ(ids({.status = ShippingStatus::kSuccess}), (Ids{2, 4}));
    EXPECT_EQ(ids({.status = ShippingStatus::kFail}), Ids{3});
    EXPECT_EQ(ids({.order = 12}), Ids{3});
    EXPECT_EQ(ids({.status = ShippingStatus::kSuccess, .order = 12}), Ids{});
    EXPECT_EQ(ids({.order = 99}), Ids{});
}

TEST_F(ShippingRepositoryTest, ListHonoursLimitAndOffset) {
    for (std::int64_t order = 1; order <= 5; ++order) {
        create(order);
    }
    EXPECT_EQ(ids({}, 2, 0), (Ids{1, 2}));
    EXPECT_EQ(ids({}, 3, 3), (Ids{4, 5}));
}

TEST_F(ShippingRepositoryTest, ListCombinesBothFiltersWithLimitAndOffset) {
    for (std::int64_t order : {10, 11, 12, 13}) {
        create(order);
    }
    setStatus(2, ShippingStatus::kSuccess);
    setStatus(4, ShippingStatus::kSuccess);
    EXPECT_EQ(ids({.status = ShippingStatus::kSuccess, .order = 11}), Ids{2});
    EXPECT_EQ(ids({.status = ShippingStatus::kSuccess, .order = 11}, 1, 1), Ids{});
    EXPECT_EQ(ids({.status = ShippingStatus::kSuccess}, 1, 1), Ids{4});
    EXPECT_EQ(ids({.status = ShippingStatus::kProcessing, .order = 13}), Ids{});
}

TEST_F(ShippingRepositoryTest, CreatingSeveralInOneTransactionGivesIncreasingIds) {
    database_.transact([](Transaction& tx) {
        const auto first = createShippingForOrder(tx, 20);
        const auto second = createShippingForOrder(tx, 21);
        EXPECT_EQ(first.id, 1);
        EXPECT_EQ(second.id, 2);
        EXPECT_EQ(createShippingForOrder(tx, 20), first);
        EXPECT_EQ(createShippingForOrder(tx, 22).id, 3);
        EXPECT_EQ(findShippingByOrder(tx, 21), second);
        EXPECT_EQ(setShippingStatus(tx, 4, ShippingStatus::kFail), std::nullopt);
        EXPECT_EQ(setShippingStatus(tx, 2, ShippingStatus::kFail)->shippedAt, second.shippedAt);
    });
    EXPECT_EQ(ids({.status = ShippingStatus::kFail}), Ids{2});
}

TEST(ShippingMigrations, StartAtVersionOneAndGrow) {
    const auto& steps = shippingMigrations();
    ASSERT_FALSE(steps.empty());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        EXPECT_EQ(steps[i].version, static_cast<int>(i + 1));
    }
}

TEST(ShippingRepository, DomainFunctionsWorkInsideTheCallersTransaction) {
    micro_order::testing::SqliteTestDatabase database;
    database.migrate(kComponent, shippingMigrations());
    database.transact([](Transaction& tx) {
        const auto shipping = createShippingForOrder(tx, 3);
        EXPECT_EQ(createShippingForOrder(tx, 3), shipping);
        EXPECT_EQ(setShippingStatus(tx, shipping.id, ShippingStatus::kSuccess)->order, 3);
    });
    ShippingRepository repository(database);
    EXPECT_EQ(repository.find(1)->status, ShippingStatus::kSuccess);
    EXPECT_EQ(repository.list({}, 10, 0).size(), 1u);
}

TEST(ShippingRepository, ARolledBackTransactionLeavesNoShipping) {
    micro_order::testing::SqliteTestDatabase database;
    database.migrate(kComponent, shippingMigrations());
    EXPECT_THROW(database.transact([](Transaction& tx) {
        createShippingForOrder(tx, 3);
        throw std::runtime_error("handler failed");
    }),
                 std::runtime_error);
    EXPECT_EQ(ShippingRepository(database).find(1), std::nullopt);
}

}  // namespace
}  // namespace micro_order::shippings
