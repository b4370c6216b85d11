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

/// Pagination and filters read the database: they run on every connector.
class ServicesLists : public ConnectorServicesTest {
protected:
    /// `count` customers written straight into the database, faster than POSTs; every
    /// customer's id, ascending.
    std::vector<std::int64_t> insertCustomers(int count) {
        executeSql("customers",
                   "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " + std::to_string(count) +
                       ") INSERT INTO customers_customer (email, address) SELECT 'user' || x || '@email.com', "
                       "'Street ' || x FROM n");
        std::vector<std::int64_t> ids;
        for (const auto& row : executeSql("customers", "SELECT id FROM customers_customer ORDER BY id")) {
            ids.push_back(std::stoll(row.at(0)));
        }
        return ids;
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

TEST_P(ServicesLists, ListReturnsAHundredRowsByDefault) {
    const auto ids = insertCustomers(120);

    const HttpResult result = customers("GET", "/customers/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), slice(ids, 0, 100));
    EXPECT_EQ(nextLink(result), "/customers/?limit=100&offset=100");
}

TEST_P(ServicesLists, LinkHeaderNamesTheNextPage) {
    const auto ids = createCustomers(5);

    const HttpResult result = customers("GET", "/customers/?limit=2");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), slice(ids, 0, 2));
    EXPECT_EQ(result.header("Link"), R"(</customers/?limit=2&offset=2>; rel="next")");
}

TEST_P(ServicesLists, LinkHeaderIsAbsentOnTheLastPage) {
    const auto ids = createCustomers(4);

    const HttpResult last = customers("GET", "/customers/?limit=2&offset=2");
    const HttpResult exact = customers("GET", "/customers/?limit=4");

    ASSERT_EQ(last.status, 200) << last.body;
    EXPECT_EQ(idsOf(last.body), slice(ids, 2, 4));
    EXPECT_EQ(last.header("Link"), "");
    ASSERT_EQ(exact.status, 200) << exact.body;
    EXPECT_EQ(idsOf(exact.body), ids);
    EXPECT_EQ(exact.header("Link"), "");
}

TEST_P(ServicesLists, OffsetSkipsRows) {
    const auto ids = createCustomers(5);

    const HttpResult result = customers("GET", "/customers/?offset=3");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), slice(ids, 3, 5));
    EXPECT_EQ(result.header("Link"), "");
}

TEST_P(ServicesLists, OffsetPastTheEndGivesAnEmptyPageWithoutLink) {
    createCustomers(2);

    const HttpResult result = customers("GET", "/customers/?offset=10");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, "[]");
    EXPECT_EQ(result.header("Link"), "");
}

TEST_P(ServicesLists, HugeOffsetGivesAnEmptyPage) {
    createCustomers(1);

    const HttpResult result = customers("GET", "/customers/?offset=9223372036854775807");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, "[]");
}

TEST_P(ServicesLists, LimitOfAThousandReturnsAThousandRows) {
    const auto ids = insertCustomers(1001);

    const HttpResult result = customers("GET", "/customers/?limit=1000");

    ASSERT_EQ(result.status, 200) << result.body.substr(0, 200);
    EXPECT_EQ(idsOf(result.body), slice(ids, 0, 1000));
    EXPECT_EQ(nextLink(result), "/customers/?limit=1000&offset=1000");
}

TEST_P(ServicesLists, FollowingNextLinksWalksEveryCustomerExactlyOnce) {
    const auto inserted = insertCustomers(25);
    int pages = 0;

    const auto ids = walk(ports_.customers, "/customers/?limit=7", &pages);

    EXPECT_EQ(ids, inserted);
    EXPECT_EQ(pages, 4);
}

TEST_P(ServicesLists, FollowingNextLinksWithoutTrailingSlashWalksEveryCustomerExactlyOnce) {
    const auto inserted = insertCustomers(10);

    EXPECT_EQ(walk(ports_.customers, "/customers?limit=3"), inserted);
}

TEST_P(ServicesLists, FollowingNextLinksWalksEveryOrderExactlyOnce) {
    const auto created = createOrders(23);
    int pages = 0;

    const auto ids = walk(ports_.orders, "/orders/?limit=5", &pages);

    EXPECT_EQ(ids, created);
    EXPECT_EQ(pages, 5);
}

TEST_P(ServicesLists, FollowingNextLinksWalksEveryShippingExactlyOnce) {
    for (int id = 1; id <= 11; ++id) {
        insertShipping(id, 100 + id, kShippingSuccess, kShippedAt);
    }

    EXPECT_EQ(walk(ports_.shippings, "/shippings/?limit=4"), idsUpTo(11));
}

TEST_P(ServicesLists, ListOrdersFiltersByStatus) {
    const auto ids = createOrders(5);
    ASSERT_EQ(ids.size(), 5u);
    executeSql("orders", "UPDATE orders_order SET status = " + std::to_string(kOrderShipped) + " WHERE id IN (" +
                             std::to_string(ids[1]) + ", " + std::to_string(ids[3]) + ")");
    executeSql("orders", "UPDATE orders_order SET status = " + std::to_string(kOrderCancelled) +
                             " WHERE id = " + std::to_string(ids[4]));

    EXPECT_EQ(idsOf(orders("GET", "/orders/?status=SHIPPED").body), (std::vector<std::int64_t>{ids[1], ids[3]}));
    EXPECT_EQ(idsOf(orders("GET", "/orders/?status=CANCELLED").body), (std::vector<std::int64_t>{ids[4]}));
    EXPECT_EQ(idsOf(orders("GET", "/orders/?status=PROCESSING").body), (std::vector<std::int64_t>{ids[0], ids[2]}));
}

TEST_P(ServicesLists, ListOrdersFiltersByCustomer) {
    const auto ids = createOrders(std::vector<std::int64_t>{1, 2, 1, 3, 2});
    ASSERT_EQ(ids.size(), 5u);

    EXPECT_EQ(idsOf(orders("GET", "/orders/?customer=2").body), (std::vector<std::int64_t>{ids[1], ids[4]}));
    EXPECT_EQ(idsOf(orders("GET", "/orders/?customer=1").body), (std::vector<std::int64_t>{ids[0], ids[2]}));
    EXPECT_EQ(orders("GET", "/orders/?customer=4").body, "[]");
}

TEST_P(ServicesLists, ListOrdersCombinesStatusAndCustomerFilters) {
    const auto ids = createOrders(std::vector<std::int64_t>{1, 2, 1, 2});
    ASSERT_EQ(ids.size(), 4u);
    executeSql("orders", "UPDATE orders_order SET status = " + std::to_string(kOrderShipped) + " WHERE id IN (" +
                             std::to_string(ids[0]) + ", " + std::to_string(ids[1]) + ")");

    EXPECT_EQ(idsOf(orders("GET", "/orders/?status=SHIPPED&customer=2").body), (std::vector<std::int64_t>{ids[1]}));
    EXPECT_EQ(idsOf(orders("GET", "/orders/?status=PROCESSING&customer=2").body), (std::vector<std::int64_t>{ids[3]}));
}

TEST_P(ServicesLists, ListOrdersIgnoresEmptyFilters) {
    const auto ids = createOrders(3);

    const HttpResult result = orders("GET", "/orders/?status=&customer=");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), ids);
}

TEST_P(ServicesLists, NextLinkKeepsTheFilters) {
    const auto ids = createOrders(std::vector<std::int64_t>{2, 1, 2, 2});
    ASSERT_EQ(ids.size(), 4u);

    const HttpResult result = orders("GET", "/orders/?customer=2&status=PROCESSING&limit=1");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), (std::vector<std::int64_t>{ids[0]}));
    EXPECT_EQ(nextLink(result), "/orders/?customer=2&limit=1&offset=1&status=PROCESSING");
}

TEST_P(ServicesLists, NextLinkNeverFollowsTheHostHeader) {
    createOrders(3);

    const HttpResult result = HttpClient(ports_.orders)
                                  .request("GET", "/orders/?limit=1", "", "application/json",
                                           {{"Host", "=?UTF-8?Q?evil.example=0D=0ASet-Cookie:_session=3Dattacker?="}});

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.header("Link"), R"(</orders/?limit=1&offset=1>; rel="next")");
    EXPECT_EQ(result.header("Set-Cookie"), "");
}

TEST_P(ServicesLists, NextLinkIsAbsoluteOnAListenerWithAPublicUrl) {
    host_.reset();
    host_ = std::make_unique<HostProcess>(servicesYaml(ports_, databases_, "https://orders.example.com/api/"));
    host_->waitUntilReady();
    createOrders(3);

    const HttpResult result =
        HttpClient(ports_.orders)
            .request("GET", "/orders/?limit=1", "", "application/json", {{"Host", "evil.example"}});

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(nextLink(result), "https://orders.example.com/api/orders/?limit=1&offset=1");
}

TEST_P(ServicesLists, FollowingNextLinksOfAFilteredListWalksEveryMatchingOrderExactlyOnce) {
    std::vector<std::int64_t> customersOfOrders;
    for (int n = 1; n <= 20; ++n) {
        customersOfOrders.push_back(n % 3 == 0 ? 7 : 8);
    }
    const auto ids = createOrders(customersOfOrders);
    ASSERT_EQ(ids.size(), customersOfOrders.size());
    std::vector<std::int64_t> expected;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (customersOfOrders[i] == 7) {
            expected.push_back(ids[i]);
        }
    }

    EXPECT_EQ(walk(ports_.orders, "/orders/?customer=7&limit=2"), expected);
}

TEST_P(ServicesLists, FollowingNextLinksOfAFilteredShippingListWalksEveryMatchingShippingExactlyOnce) {
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
INSTANTIATE_TEST_SUITE_P(Connectors, ServicesLists, kEveryConnector, ConnectorParamName());

/// Bad query values are refused before any database is asked: SQLite is enough.
class ServicesListParameters : public ServicesTest {};

TEST_F(ServicesListParameters, ListsRejectLimitZero) {
    for (const auto& [port, path] : {std::pair{ports_.customers, "/customers/"}, std::pair{ports_.orders, "/orders/"},
                                     std::pair{ports_.shippings, "/shippings/"}}) {
        const HttpResult result = httpRequest(port, "GET", std::string(path) + "?limit=0");

        EXPECT_EQ(result.status, 400) << path;
        EXPECT_EQ(result.body, R"({"limit":["Ensure this value is greater than or equal to 1."]})") << path;
    }
}

TEST_F(ServicesListParameters, ListsRejectLimitAboveAThousand) {
    for (const auto& [port, path] : {std::pair{ports_.customers, "/customers/"}, std::pair{ports_.orders, "/orders/"},
                                     std::pair{ports_.shippings, "/shippings/"}}) {
        const HttpResult result = httpRequest(port, "GET", std::string(path) + "?limit=1001");

        EXPECT_EQ(result.status, 400) << path;
        EXPECT_EQ(result.body, R"({"limit":["Ensure this value is less than or equal to 1000."]})") << path;
    }
}

TEST_F(ServicesListParameters, ListsRejectNonNumericLimit) {
    for (const auto& [port, path] : {std::pair{ports_.customers, "/customers/"}, std::pair{ports_.orders, "/orders/"},
                                     std::pair{ports_.shippings, "/shippings/"}}) {
        const HttpResult result = httpRequest(port, "GET", std::string(path) + "?limit=x");

        EXPECT_EQ(result.status, 400) << path;
        EXPECT_EQ(result.body, R"({"limit":["A valid integer is required."]})") << path;
    }
}

TEST_F(ServicesListParameters, ListsRejectNegativeOffset) {
    for (const auto& [port, path] : {std::pair{ports_.customers, "/customers/"}, std::pair{ports_.orders, "/orders/"},
                                     std::pair{ports_.shippings, "/shippings/"}}) {
        const HttpResult result = httpRequest(port, "GET", std::string(path) + "?offset=-1");

        EXPECT_EQ(result.status, 400) << path;
        EXPECT_EQ(result.body, R"({"offset":["Ensure this value is greater than or equal to 0."]})") << path;
    }
}

TEST_F(ServicesListParameters, ListsRejectNonNumericOffset) {
    for (const auto& [port, path] : {std::pair{ports_.customers, "/customers/"}, std::pair{ports_.orders, "/orders/"},
                                     std::pair{ports_.shippings, "/shippings/"}}) {
        const HttpResult result = httpRequest(port, "GET", std::string(path) + "?offset=x");

        EXPECT_EQ(result.status, 400) << path;
        EXPECT_EQ(result.body, R"({"offset":["A valid integer is required."]})") << path;
    }
}

TEST_F(ServicesListParameters, ListReportsEveryBadParameter) {
    const HttpResult result = orders("GET", "/orders/?limit=0&offset=-1&status=BOGUS&customer=x");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"limit":["Ensure this value is greater than or equal to 1."],)"
                           R"("offset":["Ensure this value is greater than or equal to 0."],)"
                           R"("status":["Select a valid choice. BOGUS is not one of the available choices."],)"
                           R"("customer":["A valid integer is required."]})");
}

TEST_F(ServicesListParameters, ListOrdersRejectsUnknownStatus) {
    const HttpResult result = orders("GET", "/orders/?status=BOGUS");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"status":["Select a valid choice. BOGUS is not one of the available choices."]})");
}

TEST_F(ServicesListParameters, ListOrdersRejectsShippingStatusName) {
    // SUCCESS is a shipping status, not an order one.
    const HttpResult result = orders("GET", "/orders/?status=SUCCESS");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"status":["Select a valid choice. SUCCESS is not one of the available choices."]})");
}

TEST_F(ServicesListParameters, ListOrdersRejectsNonNumericCustomer) {
    const HttpResult result = orders("GET", "/orders/?customer=x");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"customer":["A valid integer is required."]})");
}

TEST_F(ServicesListParameters, ListOrdersRejectsNonPositiveCustomer) {
    const HttpResult result = orders("GET", "/orders/?customer=0");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"customer":["Ensure this value is greater than or equal to 1."]})");
}

}  // namespace
}  // namespace micro_order::testing
