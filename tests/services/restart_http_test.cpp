// The services' data across a host restart on the same folder: rows survive, ids continue.
#include <gtest/gtest.h>

#include <string>

#include "services/services_fixture.hpp"

namespace micro_order::testing {
namespace {

class ServicesRestart : public ServicesTest {
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

TEST_F(ServicesRestart, CustomersSurviveARestart) {
    createCustomers(3);
    const HttpResult before = customers("GET", "/customers/");

    restart();

    const HttpResult after = customers("GET", "/customers/");
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_EQ(after.body, before.body);
}

TEST_F(ServicesRestart, CustomerIdsContinueAfterARestart) {
    createCustomers(3);

    restart();

    const HttpResult created = customers("POST", "/customers/", R"({"email": "u@email.com", "address": "a"})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(json(created.body)->getValue<int>("id"), 4);
}

TEST_F(ServicesRestart, OrdersSurviveARestart) {
    createOrders(std::vector<std::int64_t>{1, 2, 3});
    const HttpResult before = orders("GET", "/orders/");

    restart();

    const HttpResult after = orders("GET", "/orders/");
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_EQ(after.body, before.body);
}

TEST_F(ServicesRestart, OrderIdsContinueAfterARestart) {
    createOrders(2);

    restart();

    const HttpResult created = orders("POST", "/orders/", R"({"customer": 9})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(json(created.body)->getValue<int>("id"), 3);
}

TEST_F(ServicesRestart, OrderIdsAreNotReusedAfterTheLastOrderIsDeleted) {
    createOrders(3);
    executeSql(databaseFile("orders"), "DELETE FROM orders_order WHERE id = 3");

    restart();

    const HttpResult created = orders("POST", "/orders/", R"({"customer": 9})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(json(created.body)->getValue<int>("id"), 4);
}

TEST_F(ServicesRestart, ShippingsSurviveARestart) {
    insertShipping(1, 10, kShippingSuccess, "2026-11-26T12:00:00.123456Z");
    const HttpResult before = shippings("GET", "/shippings/");

    restart();

    const HttpResult after = shippings("GET", "/shippings/");
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_EQ(after.body, before.body);
    EXPECT_EQ(idsOf(after.body), idsUpTo(1));
}

}  // namespace
}  // namespace micro_order::testing
