#include "shippings/shipping_repository.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "rest/testing/sqlite_test_database.hpp"
#include "shippings/shipping_schema.hpp"

namespace micro_order::shippings {
namespace {

using Poco::Data::Keywords::now;

class ShippingRepositoryTest : public ::testing::Test {
protected:
    ShippingRepositoryTest() : session_(file_.open()) {
        rest::testing::applyMigrations(session_, shippingMigrations());
    }

    std::vector<std::int64_t> ids(const ShippingFilter& filter, std::int64_t limit = 100, std::int64_t offset = 0) {
        std::vector<std::int64_t> result;
        for (const auto& shipping : listShippings(session_, filter, limit, offset)) {
            result.push_back(shipping.id);
        }
        return result;
    }

    rest::testing::TempSqliteFile file_;
    Poco::Data::Session session_;
};

using Ids = std::vector<std::int64_t>;

TEST_F(ShippingRepositoryTest, CreateInsertsAProcessingShippingForTheOrder) {
    const auto shipping = createShippingForOrder(session_, 7);
    EXPECT_EQ(shipping.id, 1);
    EXPECT_EQ(shipping.order, 7);
    EXPECT_EQ(shipping.status, ShippingStatus::kProcessing);
    EXPECT_TRUE(std::regex_match(shipping.shippedAt, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
    EXPECT_EQ(findShipping(session_, 1), shipping);
    EXPECT_EQ(findShippingByOrder(session_, 7), shipping);
}

TEST_F(ShippingRepositoryTest, CreateIsIdempotentPerOrder) {
    const auto first = createShippingForOrder(session_, 7);
    const auto other = createShippingForOrder(session_, 8);
    EXPECT_EQ(createShippingForOrder(session_, 7), first);
    EXPECT_EQ(createShippingForOrder(session_, 8), other);
    EXPECT_EQ(ids({}), (Ids{1, 2}));
}

TEST_F(ShippingRepositoryTest, CreateReturnsTheExistingShippingWhateverItsStatus) {
    const auto first = createShippingForOrder(session_, 7);
    const auto updated = setShippingStatus(session_, first.id, ShippingStatus::kFail);
    EXPECT_EQ(createShippingForOrder(session_, 7), updated);
}

TEST_F(ShippingRepositoryTest, SchemaAllowsOneShippingPerOrder) {
    createShippingForOrder(session_, 7);
    EXPECT_THROW((session_ << "INSERT INTO shippings_shipping (order_id, status, shipped_at) VALUES (7, 0, 't')", now),
                 Poco::Exception);
}

TEST_F(ShippingRepositoryTest, SetShippingStatusReturnsTheUpdatedRow) {
    const auto shipping = createShippingForOrder(session_, 7);
    createShippingForOrder(session_, 8);
    const auto updated = setShippingStatus(session_, shipping.id, ShippingStatus::kSuccess);
    ASSERT_TRUE(updated);
    EXPECT_EQ(*updated, (Shipping{shipping.id, 7, ShippingStatus::kSuccess, shipping.shippedAt}));
    EXPECT_EQ(findShipping(session_, shipping.id), updated);
    EXPECT_EQ(findShipping(session_, 2)->status, ShippingStatus::kProcessing);
}

TEST_F(ShippingRepositoryTest, SetShippingStatusReturnsNulloptForAnUnknownShipping) {
    createShippingForOrder(session_, 7);
    EXPECT_EQ(setShippingStatus(session_, 2, ShippingStatus::kSuccess), std::nullopt);
    EXPECT_EQ(setShippingStatus(session_, 0, ShippingStatus::kFail), std::nullopt);
    EXPECT_EQ(findShipping(session_, 1)->status, ShippingStatus::kProcessing);
}

TEST_F(ShippingRepositoryTest, FindReturnsNulloptForUnknownIdsAndOrders) {
    createShippingForOrder(session_, 7);
    EXPECT_EQ(findShipping(session_, 2), std::nullopt);
    EXPECT_EQ(findShippingByOrder(session_, 1), std::nullopt);
}

TEST_F(ShippingRepositoryTest, ListFiltersByStatusAndOrderInIdOrder) {
    for (std::int64_t order : {10, 11, 12, 13}) {
        createShippingForOrder(session_, order);
    }
    setShippingStatus(session_, 2, ShippingStatus::kSuccess);
    setShippingStatus(session_, 4, ShippingStatus::kSuccess);
    setShippingStatus(session_, 3, ShippingStatus::kFail);
    EXPECT_EQ(ids({}), (Ids{1, 2, 3, 4}));
    EXPECT_EQ(ids({.status = ShippingStatus::kSuccess}), (Ids{2, 4}));
    EXPECT_EQ(ids({.status = ShippingStatus::kFail}), Ids{3});
    EXPECT_EQ(ids({.order = 12}), Ids{3});
    EXPECT_EQ(ids({.status = ShippingStatus::kSuccess, .order = 12}), Ids{});
    EXPECT_EQ(ids({.order = 99}), Ids{});
}

TEST_F(ShippingRepositoryTest, ListHonoursLimitAndOffset) {
    for (std::int64_t order = 1; order <= 5; ++order) {
        createShippingForOrder(session_, order);
    }
    EXPECT_EQ(ids({}, 2, 0), (Ids{1, 2}));
    EXPECT_EQ(ids({}, 3, 3), (Ids{4, 5}));
}

TEST(ShippingMigrations, StartAtVersionOneAndGrow) {
    const auto& steps = shippingMigrations();
    ASSERT_FALSE(steps.empty());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        EXPECT_EQ(steps[i].version, static_cast<int>(i + 1));
    }
}

TEST(ShippingRepository, DomainFunctionsWorkInsideTheCallersTransaction) {
    rest::testing::FakeDatabase database;
    database.migrate(kComponent, shippingMigrations());
    database.transact([](Transaction& tx) {
        const auto shipping = createShippingForOrder(tx.session(), 3);
        EXPECT_EQ(createShippingForOrder(tx.session(), 3), shipping);
        EXPECT_EQ(setShippingStatus(tx.session(), shipping.id, ShippingStatus::kSuccess)->order, 3);
    });
    ShippingRepository repository(database);
    EXPECT_EQ(repository.find(1)->status, ShippingStatus::kSuccess);
    EXPECT_EQ(repository.list({}, 10, 0).size(), 1u);
}

TEST(ShippingRepository, ARolledBackTransactionLeavesNoShipping) {
    rest::testing::FakeDatabase database;
    database.migrate(kComponent, shippingMigrations());
    EXPECT_THROW(database.transact([](Transaction& tx) {
        createShippingForOrder(tx.session(), 3);
        throw std::runtime_error("handler failed");
    }),
                 std::runtime_error);
    EXPECT_EQ(ShippingRepository(database).find(1), std::nullopt);
}

}  // namespace
}  // namespace micro_order::shippings
