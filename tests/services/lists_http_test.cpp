// The list endpoints of the three services: ?limit= and ?offset= pagination with
// `Link: <…>; rel="next"`, the filters, and the 400 answers for bad query values.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "services/services_fixture.hpp"

namespace micro_order::testing {
namespace {

constexpr const char* kShippedAt = "2026-11-26T12:00:00.123456Z";

class ServicesLists : public ServicesTest {
protected:
    /// `count` customers written straight into the database (ids 1…count), faster than POSTs.
    void insertCustomers(int count) {
        executeSql(databaseFile("customers"),
                   "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " + std::to_string(count) +
                       ") INSERT INTO customers_customer (email, address) SELECT 'user' || x || '@email.com', "
                       "'Street ' || x FROM n");
    }

    /// GETs `path` on `port`, then every `rel="next"` link after it; the ids of every page in
    /// order. Fails the test on a non-200 answer or a link that is not relative (no public_url).
    std::vector<std::int64_t> walk(unsigned short port, const std::string& path, int* pages = nullptr) {
        std::vector<std::int64_t> ids;
        std::string next = path;
        int count = 0;
        while (!next.empty() && count < 1000) {
            const HttpResult page = httpRequest(port, "GET", next);
            EXPECT_EQ(page.status, 200) << next << ": " << page.body;
            if (page.status != 200) {
                break;
            }
            ++count;
            const auto pageIds = idsOf(page.body);
            ids.insert(ids.end(), pageIds.begin(), pageIds.end());
            const std::string link = nextLink(page);
            if (link.empty()) {
                break;
            }
            EXPECT_EQ(link.rfind('/', 0), 0u) << link;
            next = link;
        }
        if (pages != nullptr) {
            *pages = count;
        }
        return ids;
    }
};

TEST_F(ServicesLists, ListReturnsAHundredRowsByDefault) {
    insertCustomers(120);

    const HttpResult result = customers("GET", "/customers/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), idsUpTo(100));
    EXPECT_EQ(nextLink(result), "/customers/?limit=100&offset=100");
}

TEST_F(ServicesLists, LinkHeaderNamesTheNextPage) {
    createCustomers(5);

    const HttpResult result = customers("GET", "/customers/?limit=2");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), idsUpTo(2));
    EXPECT_EQ(result.header("Link"), R"(</customers/?limit=2&offset=2>; rel="next")");
}

TEST_F(ServicesLists, LinkHeaderIsAbsentOnTheLastPage) {
    createCustomers(4);

    const HttpResult last = customers("GET", "/customers/?limit=2&offset=2");
    const HttpResult exact = customers("GET", "/customers/?limit=4");

    ASSERT_EQ(last.status, 200) << last.body;
    EXPECT_EQ(idsOf(last.body), (std::vector<std::int64_t>{3, 4}));
    EXPECT_EQ(last.header("Link"), "");
    ASSERT_EQ(exact.status, 200) << exact.body;
    EXPECT_EQ(idsOf(exact.body), idsUpTo(4));
    EXPECT_EQ(exact.header("Link"), "");
}

TEST_F(ServicesLists, OffsetSkipsRows) {
    createCustomers(5);

    const HttpResult result = customers("GET", "/customers/?offset=3");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), (std::vector<std::int64_t>{4, 5}));
    EXPECT_EQ(result.header("Link"), "");
}

TEST_F(ServicesLists, OffsetPastTheEndGivesAnEmptyPageWithoutLink) {
    createCustomers(2);

    const HttpResult result = customers("GET", "/customers/?offset=10");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, "[]");
    EXPECT_EQ(result.header("Link"), "");
}

TEST_F(ServicesLists, HugeOffsetGivesAnEmptyPage) {
    createCustomers(1);

    const HttpResult result = customers("GET", "/customers/?offset=9223372036854775807");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, "[]");
}

TEST_F(ServicesLists, LimitOfAThousandReturnsAThousandRows) {
    insertCustomers(1001);

    const HttpResult result = customers("GET", "/customers/?limit=1000");

    ASSERT_EQ(result.status, 200) << result.body.substr(0, 200);
    EXPECT_EQ(idsOf(result.body), idsUpTo(1000));
    EXPECT_EQ(nextLink(result), "/customers/?limit=1000&offset=1000");
}

TEST_F(ServicesLists, FollowingNextLinksWalksEveryCustomerExactlyOnce) {
    insertCustomers(25);
    int pages = 0;

    const auto ids = walk(ports_.customers, "/customers/?limit=7", &pages);

    EXPECT_EQ(ids, idsUpTo(25));
    EXPECT_EQ(pages, 4);
}

TEST_F(ServicesLists, FollowingNextLinksWithoutTrailingSlashWalksEveryCustomerExactlyOnce) {
    insertCustomers(10);

    EXPECT_EQ(walk(ports_.customers, "/customers?limit=3"), idsUpTo(10));
}

TEST_F(ServicesLists, FollowingNextLinksWalksEveryOrderExactlyOnce) {
    createOrders(23);
    int pages = 0;

    const auto ids = walk(ports_.orders, "/orders/?limit=5", &pages);

    EXPECT_EQ(ids, idsUpTo(23));
    EXPECT_EQ(pages, 5);
}

TEST_F(ServicesLists, FollowingNextLinksWalksEveryShippingExactlyOnce) {
    for (int id = 1; id <= 11; ++id) {
        insertShipping(id, 100 + id, kShippingSuccess, kShippedAt);
    }

    EXPECT_EQ(walk(ports_.shippings, "/shippings/?limit=4"), idsUpTo(11));
}

TEST_F(ServicesLists, ListOrdersFiltersByStatus) {
    createOrders(5);
    executeSql(databaseFile("orders"),
               "UPDATE orders_order SET status = " + std::to_string(kOrderShipped) + " WHERE id IN (2, 4)");
    executeSql(databaseFile("orders"),
               "UPDATE orders_order SET status = " + std::to_string(kOrderCancelled) + " WHERE id = 5");

    EXPECT_EQ(idsOf(orders("GET", "/orders/?status=SHIPPED").body), (std::vector<std::int64_t>{2, 4}));
    EXPECT_EQ(idsOf(orders("GET", "/orders/?status=CANCELLED").body), (std::vector<std::int64_t>{5}));
    EXPECT_EQ(idsOf(orders("GET", "/orders/?status=PROCESSING").body), (std::vector<std::int64_t>{1, 3}));
}

TEST_F(ServicesLists, ListOrdersFiltersByCustomer) {
    createOrders(std::vector<std::int64_t>{1, 2, 1, 3, 2});

    EXPECT_EQ(idsOf(orders("GET", "/orders/?customer=2").body), (std::vector<std::int64_t>{2, 5}));
    EXPECT_EQ(idsOf(orders("GET", "/orders/?customer=1").body), (std::vector<std::int64_t>{1, 3}));
    EXPECT_EQ(orders("GET", "/orders/?customer=4").body, "[]");
}

TEST_F(ServicesLists, ListOrdersCombinesStatusAndCustomerFilters) {
    createOrders(std::vector<std::int64_t>{1, 2, 1, 2});
    executeSql(databaseFile("orders"),
               "UPDATE orders_order SET status = " + std::to_string(kOrderShipped) + " WHERE id IN (1, 2)");

    EXPECT_EQ(idsOf(orders("GET", "/orders/?status=SHIPPED&customer=2").body), (std::vector<std::int64_t>{2}));
    EXPECT_EQ(idsOf(orders("GET", "/orders/?status=PROCESSING&customer=2").body), (std::vector<std::int64_t>{4}));
}

TEST_F(ServicesLists, ListOrdersIgnoresEmptyFilters) {
    createOrders(3);

    const HttpResult result = orders("GET", "/orders/?status=&customer=");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), idsUpTo(3));
}

TEST_F(ServicesLists, NextLinkKeepsTheFilters) {
    createOrders(std::vector<std::int64_t>{2, 1, 2, 2});

    const HttpResult result = orders("GET", "/orders/?customer=2&status=PROCESSING&limit=1");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), (std::vector<std::int64_t>{1}));
    EXPECT_EQ(nextLink(result), "/orders/?customer=2&limit=1&offset=1&status=PROCESSING");
}

TEST_F(ServicesLists, NextLinkNeverFollowsTheHostHeader) {
    createOrders(3);

    const HttpResult result = HttpClient(ports_.orders)
                                  .request("GET", "/orders/?limit=1", "", "application/json",
                                           {{"Host", "=?UTF-8?Q?evil.example=0D=0ASet-Cookie:_session=3Dattacker?="}});

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.header("Link"), R"(</orders/?limit=1&offset=1>; rel="next")");
    EXPECT_EQ(result.header("Set-Cookie"), "");
}

TEST_F(ServicesLists, NextLinkIsAbsoluteOnAListenerWithAPublicUrl) {
    host_.reset();
    host_ = std::make_unique<HostProcess>(servicesYaml(ports_, "https://orders.example.com/api/"));
    host_->waitUntilReady();
    createOrders(3);

    const HttpResult result =
        HttpClient(ports_.orders)
            .request("GET", "/orders/?limit=1", "", "application/json", {{"Host", "evil.example"}});

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(nextLink(result), "https://orders.example.com/api/orders/?limit=1&offset=1");
}

TEST_F(ServicesLists, FollowingNextLinksOfAFilteredListWalksEveryMatchingOrderExactlyOnce) {
    std::vector<std::int64_t> customersOfOrders;
    std::vector<std::int64_t> expected;
    for (std::int64_t id = 1; id <= 20; ++id) {
        customersOfOrders.push_back(id % 3 == 0 ? 7 : 8);
        if (id % 3 == 0) {
            expected.push_back(id);
        }
    }
    createOrders(customersOfOrders);

    EXPECT_EQ(walk(ports_.orders, "/orders/?customer=7&limit=2"), expected);
}

TEST_F(ServicesLists, FollowingNextLinksOfAFilteredShippingListWalksEveryMatchingShippingExactlyOnce) {
    std::vector<std::int64_t> expected;
    for (int id = 1; id <= 12; ++id) {
        const bool fail = id % 2 == 0;
        insertShipping(id, 100 + id, fail ? kShippingFail : kShippingSuccess, kShippedAt);
        if (fail) {
            expected.push_back(id);
        }
    }

    EXPECT_EQ(walk(ports_.shippings, "/shippings/?status=FAIL&limit=4"), expected);
}

/// Every list answers a bad paging value with 400 naming the parameter.
TEST_F(ServicesLists, ListsRejectLimitZero) {
    for (const auto& [port, path] : {std::pair{ports_.customers, "/customers/"}, std::pair{ports_.orders, "/orders/"},
                                     std::pair{ports_.shippings, "/shippings/"}}) {
        const HttpResult result = httpRequest(port, "GET", std::string(path) + "?limit=0");

        EXPECT_EQ(result.status, 400) << path;
        EXPECT_EQ(result.body, R"({"limit":["Ensure this value is greater than or equal to 1."]})") << path;
    }
}

TEST_F(ServicesLists, ListsRejectLimitAboveAThousand) {
    for (const auto& [port, path] : {std::pair{ports_.customers, "/customers/"}, std::pair{ports_.orders, "/orders/"},
                                     std::pair{ports_.shippings, "/shippings/"}}) {
        const HttpResult result = httpRequest(port, "GET", std::string(path) + "?limit=1001");

        EXPECT_EQ(result.status, 400) << path;
        EXPECT_EQ(result.body, R"({"limit":["Ensure this value is less than or equal to 1000."]})") << path;
    }
}

TEST_F(ServicesLists, ListsRejectNonNumericLimit) {
    for (const auto& [port, path] : {std::pair{ports_.customers, "/customers/"}, std::pair{ports_.orders, "/orders/"},
                                     std::pair{ports_.shippings, "/shippings/"}}) {
        const HttpResult result = httpRequest(port, "GET", std::string(path) + "?limit=x");

        EXPECT_EQ(result.status, 400) << path;
        EXPECT_EQ(result.body, R"({"limit":["A valid integer is required."]})") << path;
    }
}

TEST_F(ServicesLists, ListsRejectNegativeOffset) {
    for (const auto& [port, path] : {std::pair{ports_.customers, "/customers/"}, std::pair{ports_.orders, "/orders/"},
                                     std::pair{ports_.shippings, "/shippings/"}}) {
        const HttpResult result = httpRequest(port, "GET", std::string(path) + "?offset=-1");

        EXPECT_EQ(result.status, 400) << path;
        EXPECT_EQ(result.body, R"({"offset":["Ensure this value is greater than or equal to 0."]})") << path;
    }
}

TEST_F(ServicesLists, ListsRejectNonNumericOffset) {
    for (const auto& [port, path] : {std::pair{ports_.customers, "/customers/"}, std::pair{ports_.orders, "/orders/"},
                                     std::pair{ports_.shippings, "/shippings/"}}) {
        const HttpResult result = httpRequest(port, "GET", std::string(path) + "?offset=x");

        EXPECT_EQ(result.status, 400) << path;
        EXPECT_EQ(result.body, R"({"offset":["A valid integer is required."]})") << path;
    }
}

TEST_F(ServicesLists, ListReportsEveryBadParameter) {
    const HttpResult result = orders("GET", "/orders/?limit=0&offset=-1&status=BOGUS&customer=x");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"limit":["Ensure this value is greater than or equal to 1."],)"
                           R"("offset":["Ensure this value is greater than or equal to 0."],)"
                           R"("status":["Select a valid choice. BOGUS is not one of the available choices."],)"
                           R"("customer":["A valid integer is required."]})");
}

TEST_F(ServicesLists, ListOrdersRejectsUnknownStatus) {
    const HttpResult result = orders("GET", "/orders/?status=BOGUS");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"status":["Select a valid choice. BOGUS is not one of the available choices."]})");
}

TEST_F(ServicesLists, ListOrdersRejectsShippingStatusName) {
    // SUCCESS is a shipping status, not an order one.
    const HttpResult result = orders("GET", "/orders/?status=SUCCESS");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"status":["Select a valid choice. SUCCESS is not one of the available choices."]})");
}

TEST_F(ServicesLists, ListOrdersRejectsNonNumericCustomer) {
    const HttpResult result = orders("GET", "/orders/?customer=x");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"customer":["A valid integer is required."]})");
}

TEST_F(ServicesLists, ListOrdersRejectsNonPositiveCustomer) {
    const HttpResult result = orders("GET", "/orders/?customer=0");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"customer":["Ensure this value is greater than or equal to 1."]})");
}

}  // namespace
}  // namespace micro_order::testing
