// The shippings service over HTTP through the real host: a read-only API. Only the workflow
// creates shippings, so the rows are written straight into the host's shippings database.
#include <gtest/gtest.h>

#include <string>

#include "services/services_fixture.hpp"

namespace micro_order::testing {
namespace {

constexpr const char* kShippedAt = "2026-11-26T12:00:00.123456Z";

/// What reads the shippings table runs on every connector.
class ServicesShippings : public ConnectorServicesTest {};
/// Refusals answered before any database is asked: SQLite is enough.
class ServicesShippingRequests : public ServicesTest {};

TEST_P(ServicesShippings, ListShippingsReturnsEmptyArrayWhenThereAreNone) {
    const HttpResult result = shippings("GET", "/shippings/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_EQ(result.body, "[]");
    EXPECT_EQ(result.header("Link"), "");
}

TEST_P(ServicesShippings, ListShippingsReturnsEveryRowWithIdOrderShippedAtAndStatus) {
    insertShipping(1, 10, kShippingProcessing, "2026-11-26T12:00:00.000001Z");
    insertShipping(2, 11, kShippingSuccess, "2026-11-26T12:00:01.000002Z");
    insertShipping(3, 12, kShippingFail, "2026-11-26T12:00:02.000003Z");

    const HttpResult result = shippings("GET", "/shippings/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, R"([{"id":1,"order":10,"shipped_at":"2026-11-26T12:00:00.000001Z","status":"PROCESSING"},)"
                           R"({"id":2,"order":11,"shipped_at":"2026-11-26T12:00:01.000002Z","status":"SUCCESS"},)"
                           R"({"id":3,"order":12,"shipped_at":"2026-11-26T12:00:02.000003Z","status":"FAIL"}])");
}

TEST_P(ServicesShippings, ListShippingsIsOrderedByIdNotByInsertion) {
    insertShipping(5, 50, kShippingSuccess, kShippedAt);
    insertShipping(2, 20, kShippingSuccess, kShippedAt);
    insertShipping(9, 90, kShippingSuccess, kShippedAt);

    const HttpResult result = shippings("GET", "/shippings/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), (std::vector<std::int64_t>{2, 5, 9}));
}

TEST_P(ServicesShippings, ListShippingsWithoutTrailingSlashIsServed) {
    insertShipping(1, 10, kShippingProcessing, kShippedAt);

    const HttpResult result = shippings("GET", "/shippings");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), idsUpTo(1));
}

TEST_P(ServicesShippings, GetShippingReturnsIt) {
    insertShipping(1, 10, kShippingProcessing, kShippedAt);
    insertShipping(2, 11, kShippingSuccess, kShippedAt);

    const HttpResult result = shippings("GET", "/shippings/2/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, R"({"id":2,"order":11,"shipped_at":"2026-11-26T12:00:00.123456Z","status":"SUCCESS"})");
}

TEST_P(ServicesShippings, GetShippingWithoutTrailingSlashIsServed) {
    insertShipping(1, 10, kShippingFail, kShippedAt);

    const HttpResult result = shippings("GET", "/shippings/1");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(json(result.body)->getValue<std::string>("status"), "FAIL");
}

TEST_P(ServicesShippings, GetUnknownShippingIs404NotFound) {
    insertShipping(1, 10, kShippingProcessing, kShippedAt);

    for (const char* path : {"/shippings/2/", "/shippings/2", "/shippings/10/"}) {
        const HttpResult result = shippings("GET", path);

        EXPECT_EQ(result.status, 404) << path;
        EXPECT_EQ(result.body, R"({"detail":"Not found."})") << path;
    }
}

TEST_F(ServicesShippingRequests, GetShippingWithNonPositiveOrNonNumericIdIs404NotFound) {
    insertShipping(1, 10, kShippingProcessing, kShippedAt);

    for (const char* path : {"/shippings/0/", "/shippings/-1/", "/shippings/abc/", "/shippings/1.0/"}) {
        const HttpResult result = shippings("GET", path);

        EXPECT_EQ(result.status, 404) << path;
        EXPECT_EQ(result.body, R"({"detail":"Not found."})") << path;
    }
}

TEST_F(ServicesShippingRequests, PostShippingsIs405AllowingGet) {
    for (const char* path : {"/shippings/", "/shippings"}) {
        const HttpResult result = shippings("POST", path, R"({"order": 1})");

        EXPECT_EQ(result.status, 405) << path;
        EXPECT_EQ(result.header("Allow"), "GET, HEAD") << path;
        EXPECT_EQ(result.body, R"({"detail":"Method \"POST\" not allowed."})") << path;
    }
    EXPECT_EQ(shippings("GET", "/shippings/").body, "[]") << "the refused POST created a shipping";
}

TEST_F(ServicesShippingRequests, WrongMethodOnAShippingIs405AllowingGet) {
    insertShipping(1, 10, kShippingProcessing, kShippedAt);

    for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
        for (const char* path : {"/shippings/1/", "/shippings/1"}) {
            const HttpResult result = shippings(method, path, R"({"status": "SUCCESS"})");

            EXPECT_EQ(result.status, 405) << method << " " << path;
            EXPECT_EQ(result.header("Allow"), "GET, HEAD") << method << " " << path;
        }
    }
    EXPECT_EQ(json(shippings("GET", "/shippings/1/").body)->getValue<std::string>("status"), "PROCESSING");
}

TEST_F(ServicesShippingRequests, ConnectionStaysUsableAfterA405WithABody) {
    HttpClient client(ports_.shippings);

    const HttpResult refused = client.post("/shippings/", R"({"order": 1, "padding": "xxxxxxxxxxxxxxxx"})");
    const HttpResult next = client.get("/shippings/");

    EXPECT_EQ(refused.status, 405);
    EXPECT_EQ(next.status, 200) << next.body;
}

TEST_P(ServicesShippings, ListShippingsFiltersByStatus) {
    insertShipping(1, 10, kShippingProcessing, kShippedAt);
    insertShipping(2, 11, kShippingSuccess, kShippedAt);
    insertShipping(3, 12, kShippingFail, kShippedAt);
    insertShipping(4, 13, kShippingSuccess, kShippedAt);

    EXPECT_EQ(idsOf(shippings("GET", "/shippings/?status=SUCCESS").body), (std::vector<std::int64_t>{2, 4}));
    EXPECT_EQ(idsOf(shippings("GET", "/shippings/?status=FAIL").body), (std::vector<std::int64_t>{3}));
    EXPECT_EQ(idsOf(shippings("GET", "/shippings/?status=PROCESSING").body), (std::vector<std::int64_t>{1}));
}

TEST_P(ServicesShippings, ListShippingsFiltersByOrder) {
    insertShipping(1, 10, kShippingProcessing, kShippedAt);
    insertShipping(2, 11, kShippingSuccess, kShippedAt);

    EXPECT_EQ(idsOf(shippings("GET", "/shippings/?order=11").body), (std::vector<std::int64_t>{2}));
    EXPECT_EQ(shippings("GET", "/shippings/?order=12").body, "[]");
}

TEST_P(ServicesShippings, ListShippingsCombinesStatusAndOrderFilters) {
    insertShipping(1, 10, kShippingProcessing, kShippedAt);
    insertShipping(2, 11, kShippingSuccess, kShippedAt);

    EXPECT_EQ(idsOf(shippings("GET", "/shippings/?status=SUCCESS&order=11").body), (std::vector<std::int64_t>{2}));
    EXPECT_EQ(shippings("GET", "/shippings/?status=FAIL&order=11").body, "[]");
}

TEST_P(ServicesShippings, ListShippingsIgnoresEmptyFilters) {
    insertShipping(1, 10, kShippingProcessing, kShippedAt);
    insertShipping(2, 11, kShippingSuccess, kShippedAt);

    const HttpResult result = shippings("GET", "/shippings/?status=&order=");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), idsUpTo(2));
}

TEST_F(ServicesShippingRequests, ListShippingsRejectsUnknownStatus) {
    const HttpResult result = shippings("GET", "/shippings/?status=BOGUS");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"status":["Select a valid choice. BOGUS is not one of the available choices."]})");
}

TEST_F(ServicesShippingRequests, ListShippingsRejectsLowerCaseStatus) {
    const HttpResult result = shippings("GET", "/shippings/?status=success");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"status":["Select a valid choice. success is not one of the available choices."]})");
}

TEST_F(ServicesShippingRequests, ListShippingsRejectsOrderStatusName) {
    // SHIPPED is an order status, not a shipping one.
    const HttpResult result = shippings("GET", "/shippings/?status=SHIPPED");

    EXPECT_EQ(result.status, 400);
    EXPECT_NE(result.body.find("\"status\""), std::string::npos) << result.body;
}

TEST_F(ServicesShippingRequests, ListShippingsRejectsNonNumericOrder) {
    const HttpResult result = shippings("GET", "/shippings/?order=x");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"order":["A valid integer is required."]})");
}

TEST_F(ServicesShippingRequests, ListShippingsRejectsNonPositiveOrder) {
    const HttpResult result = shippings("GET", "/shippings/?order=0");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"order":["Ensure this value is greater than or equal to 1."]})");
}

INSTANTIATE_TEST_SUITE_P(Connectors, ServicesShippings, kEveryConnector, ConnectorParamName());

}  // namespace
}  // namespace micro_order::testing
