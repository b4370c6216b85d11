#include "shippings/shipping_repository.hpp"

#include <gtest/gtest.h>

#include <micro_order/testing/connector_test_database.hpp>
#include <regex>

#include "shippings/shipping_schema.hpp"

namespace micro_order::shippings {
namespace {

// The shippings' ids, in the order given.
std::vector<std::int64_t> idsOf(std::initializer_list<Shipping> shippings) {
    std::vector<std::int64_t> result;
    for (const auto& shipping : shippings) {
        result.push_back(shipping.id);
    }
    return result;
}

class ShippingRepositoryTest : public ::testing::TestWithParam<micro_order::testing::TestConnector> {
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

    std::unique_ptr<micro_order::testing::TestDatabase> owned_ = micro_order::testing::makeTestDatabase(GetParam());
    micro_order::testing::TestDatabase& database_ = *owned_;
};

using Ids = std::vector<std::int64_t>;

TEST_P(ShippingRepositoryTest, CreateInsertsAProcessingShippingForTheOrder) {
    const auto shipping = create(7);
    EXPECT_GT(shipping.id, 0);
    EXPECT_EQ(shipping.order, 7);
    EXPECT_EQ(shipping.status, ShippingStatus::kProcessing);
    EXPECT_TRUE(std::regex_match(shipping.shippedAt, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
    EXPECT_EQ(find(shipping.id), shipping);
    EXPECT_EQ(findByOrder(7), shipping);
}

TEST_P(ShippingRepositoryTest, CreateIsIdempotentPerOrder) {
    const auto first = create(7);
    const auto other = create(8);
    EXPECT_EQ(create(7), first);
    EXPECT_EQ(create(8), other);
    EXPECT_EQ(ids({}), idsOf({first, other}));
}

TEST_P(ShippingRepositoryTest, CreateReturnsTheExistingShippingWhateverItsStatus) {
    const auto first = create(7);
    const auto updated = setStatus(first.id, ShippingStatus::kFail);
    EXPECT_EQ(create(7), updated);
}

TEST_P(ShippingRepositoryTest, SchemaAllowsOneShippingPerOrder) {
    create(7);
    EXPECT_THROW(database_.execute("INSERT INTO shippings_shipping (order_id, status, shipped_at) VALUES (7, 0, 't')"),
                 std::exception);
    EXPECT_EQ(ids({}).size(), 1u);
}

TEST_P(ShippingRepositoryTest, SetShippingStatusReturnsTheUpdatedRow) {
    const auto shipping = create(7);
    const auto other = create(8);
    const auto updated = setStatus(shipping.id, ShippingStatus::kSuccess);
    ASSERT_TRUE(updated);
    EXPECT_EQ(*updated, (Shipping{shipping.id, 7, ShippingStatus::kSuccess, shipping.shippedAt}));
    EXPECT_EQ(find(shipping.id), updated);
    EXPECT_EQ(find(other.id)->status, ShippingStatus::kProcessing);
}

TEST_P(ShippingRepositoryTest, SetShippingStatusReturnsNulloptForAnUnknownShipping) {
    const auto shipping = create(7);
    EXPECT_EQ(setStatus(shipping.id + 1, ShippingStatus::kSuccess), std::nullopt);
    EXPECT_EQ(setStatus(0, ShippingStatus::kFail), std::nullopt);
    EXPECT_EQ(find(shipping.id)->status, ShippingStatus::kProcessing);
}

TEST_P(ShippingRepositoryTest, FindReturnsNulloptForUnknownIdsAndOrders) {
    const auto shipping = create(7);
    EXPECT_EQ(find(shipping.id + 1), std::nullopt);
    EXPECT_EQ(findByOrder(1), std::nullopt);
}

TEST_P(ShippingRepositoryTest, ListFiltersByStatusAndOrderInIdOrder) {
    const auto s10 = create(10);
    const auto s11 = create(11);
    const auto s12 = create(12);
    const auto s13 = create(13);
    setStatus(s11.id, ShippingStatus::kSuccess);
    setStatus(s13.id, ShippingStatus::kSuccess);
    setStatus(s12.id, ShippingStatus::kFail);
    EXPECT_EQ(ids({}), idsOf({s10, s11, s12, s13}));
    EXPECT_EQ(ids({.status = ShippingStatus::kSuccess}), idsOf({s11, s13}));
    EXPECT_EQ(ids({.status = ShippingStatus::kFail}), idsOf({s12}));
    EXPECT_EQ(ids({.order = 12}), idsOf({s12}));
    EXPECT_EQ(ids({.status = ShippingStatus::kSuccess, .order = 12}), Ids{});
    EXPECT_EQ(ids({.order = 99}), Ids{});
}

TEST_P(ShippingRepositoryTest, ListHonoursLimitAndOffset) {
    Ids created;
    for (std::int64_t order = 1; order <= 5; ++order) {
        created.push_back(create(order).id);
    }
    EXPECT_EQ(ids({}, 2, 0), (Ids{created[0], created[1]}));
    EXPECT_EQ(ids({}, 3, 3), (Ids{created[3], created[4]}));
}

TEST_P(ShippingRepositoryTest, ListCombinesBothFiltersWithLimitAndOffset) {
    create(10);
    const auto s11 = create(11);
    create(12);
    const auto s13 = create(13);
    setStatus(s11.id, ShippingStatus::kSuccess);
    setStatus(s13.id, ShippingStatus::kSuccess);
    EXPECT_EQ(ids({.status = ShippingStatus::kSuccess, .order = 11}), idsOf({s11}));
    EXPECT_EQ(ids({.status = ShippingStatus::kSuccess, .order = 11}, 1, 1), Ids{});
    EXPECT_EQ(ids({.status = ShippingStatus::kSuccess}, 1, 1), idsOf({s13}));
    EXPECT_EQ(ids({.status = ShippingStatus::kProcessing, .order = 13}), Ids{});
}

TEST_P(ShippingRepositoryTest, CreatingSeveralInOneTransactionGivesIncreasingIds) {
    const auto second = database_.transactValue([](Transaction& tx) {
        const auto first = createShippingForOrder(tx, 20);
        const auto second = createShippingForOrder(tx, 21);
        EXPECT_GT(second.id, first.id);
        EXPECT_EQ(createShippingForOrder(tx, 20), first);
        const auto third = createShippingForOrder(tx, 22);
        EXPECT_GT(third.id, second.id);
        EXPECT_EQ(findShippingByOrder(tx, 21), second);
        EXPECT_EQ(setShippingStatus(tx, third.id + 1, ShippingStatus::kFail), std::nullopt);
        EXPECT_EQ(setShippingStatus(tx, second.id, ShippingStatus::kFail)->shippedAt, second.shippedAt);
        return second;
    });
    EXPECT_EQ(ids({.status = ShippingStatus::kFail}), idsOf({second}));
}

TEST(ShippingMigrations, StartAtVersionOneAndGrow) {
    const auto& steps = shippingMigrations();
    ASSERT_FALSE(steps.empty());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        EXPECT_EQ(steps[i].version, static_cast<int>(i + 1));
    }
}

TEST_P(ShippingRepositoryTest, DomainFunctionsWorkInsideTheCallersTransaction) {
    const auto id = database_.transactValue([](Transaction& tx) {
        const auto shipping = createShippingForOrder(tx, 3);
        EXPECT_EQ(createShippingForOrder(tx, 3), shipping);
        EXPECT_EQ(setShippingStatus(tx, shipping.id, ShippingStatus::kSuccess)->order, 3);
        return shipping.id;
    });
    ShippingRepository repository(database_);
    EXPECT_EQ(repository.find(id)->status, ShippingStatus::kSuccess);
    EXPECT_EQ(repository.list({}, 10, 0).size(), 1u);
}

TEST_P(ShippingRepositoryTest, ARolledBackTransactionLeavesNoShipping) {
    EXPECT_THROW(database_.transact([](Transaction& tx) {
        createShippingForOrder(tx, 3);
        throw std::runtime_error("handler failed");
    }),
                 std::runtime_error);
    EXPECT_EQ(findByOrder(3), std::nullopt);
    EXPECT_TRUE(ids({}).empty());
}

INSTANTIATE_TEST_SUITE_P(Connectors, ShippingRepositoryTest, MICRO_ORDER_TEST_CONNECTORS);

}  // namespace
}  // namespace micro_order::shippings
