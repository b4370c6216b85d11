// The services' data across a host restart on the same folder: rows survive, ids continue.
#include <gtest/gtest.h>

#include <string>

#include "services/services_fixture.hpp"

namespace micro_order::testing {
namespace {

class ServicesRestart : public ConnectorServicesTest {
protected:
    /// Restarts the host on the files of `folder_` (the first host ran there too).
    void SetUp() override {
        purgeWorkflowQueues();
        ports_ = freeServicePorts();
        startHost(folder_.path());
    }

    void TearDown() override {
        ServicesTest::TearDown();
        host_.reset();  // before folder_ goes
    }

    void restart() {
        stopHost();
        startHost(folder_.path());
    }

    TempDir folder_{"micro-order-services"};
};

TEST_P(ServicesRestart, CustomersSurviveARestart) {
    createCustomers(3);
    const HttpResult before = customers("GET", "/customers/");

    restart();

    const HttpResult after = customers("GET", "/customers/");
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_EQ(after.body, before.body);
}

TEST_P(ServicesRestart, CustomerIdsContinueAfterARestart) {
    const auto before = createCustomers(3);
    ASSERT_EQ(before.size(), 3u);

    restart();

    const HttpResult created = customers("POST", "/customers/", R"({"email": "u@email.com", "address": "a"})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_GT(idOf(created.body), before.back());
}

TEST_P(ServicesRestart, OrdersSurviveARestart) {
    createOrders(std::vector<std::int64_t>{1, 2, 3});
    const HttpResult before = orders("GET", "/orders/");

    restart();

    const HttpResult after = orders("GET", "/orders/");
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_EQ(after.body, before.body);
}

TEST_P(ServicesRestart, OrderIdsContinueAfterARestart) {
    const auto before = createOrders(2);
    ASSERT_EQ(before.size(), 2u);

    restart();

    const HttpResult created = orders("POST", "/orders/", R"({"customer": 9})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_GT(idOf(created.body), before.back());
}

TEST_P(ServicesRestart, OrderIdsAreNotReusedAfterTheLastOrderIsDeleted) {
    const auto before = createOrders(3);
    ASSERT_EQ(before.size(), 3u);
    executeSql("orders", "DELETE FROM orders_order WHERE id = " + std::to_string(before.back()));

    restart();

    const HttpResult created = orders("POST", "/orders/", R"({"customer": 9})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_GT(idOf(created.body), before.back());
}

TEST_P(ServicesRestart, ShippingsSurviveARestart) {
    insertShipping(1, 10, kShippingSuccess, "2026-11-26T12:00:00.123456Z");
    const HttpResult before = shippings("GET", "/shippings/");

    restart();

    const HttpResult after = shippings("GET", "/shippings/");
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_EQ(after.body, before.body);
    EXPECT_EQ(idsOf(after.body), std::vector<std::int64_t>{1});
}

INSTANTIATE_TEST_SUITE_P(Connectors, ServicesRestart, kEveryConnector, ConnectorParamName());

}  // namespace
}  // namespace micro_order::testing
