// The orders service over HTTP through the real host: create (with its orders.create message on
// the broker), list, get, and every way a request can be refused.
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timestamp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <regex>
#include <string>

#include "services/services_fixture.hpp"

namespace micro_order::testing {

namespace {

using namespace std::chrono_literals;

/// Base of the orders tests: one that stores or reads orders runs on every connector
/// (ServicesOrders, without assuming exact ids); the rest on SQLite (ServicesOrderRequests).
class ServicesOrderTest : public ServicesTest {
protected:
    using ServicesTest::ServicesTest;

protected:
    /// POST /orders/ with {"customer": <customerJson>}.
    HttpResult createOrder(const std::string& customerJson) {
        return orders("POST", "/orders/", R"({"customer": )" + customerJson + "}");
    }
};

class ServicesOrders : public ServicesOrderTest, public ::testing::WithParamInterface<TestConnector> {
protected:
    ServicesOrders() : ServicesOrderTest(GetParam()) {}
};

class ServicesOrderRequests : public ServicesOrderTest {};

/// RFC 3339, UTC, six fractional digits, Z.
bool isRfc3339Micros(const std::string& text) {
    static const std::regex kFormat(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)");
    return std::regex_match(text, kFormat);
}

/// The status code and reason phrase of the status line the host answers with.
std::pair<int, std::string> statusLine(unsigned short port, const std::string& method, const std::string& path,
                                       const std::string& body = "",
                                       const std::string& contentType = "application/json") {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!body.empty()) {
        request.setContentType(contentType);
        request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::string ignored;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), ignored);
    return {static_cast<int>(response.getStatus()), response.getReason()};
}

/// Seconds between `text` and now.
double secondsFromNow(const std::string& text) {
    int zone = 0;
    const Poco::DateTime parsed = Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, zone);
    const Poco::Timestamp::TimeDiff diff = Poco::Timestamp() - parsed.timestamp();
    return static_cast<double>(diff) / 1e6;
}

TEST_P(ServicesOrders, CreateOrderReturns201ProcessingWithMadeAt) {
    const HttpResult result = createOrder("1");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(result.contentType, "application/json");
    const auto order = json(result.body);
    const auto id = order->getValue<std::int64_t>("id");
    EXPECT_GT(id, 0);
    EXPECT_EQ(order->getValue<std::string>("status"), "PROCESSING");
    EXPECT_EQ(order->getValue<int>("customer"), 1);
    const auto madeAt = order->getValue<std::string>("made_at");
    EXPECT_TRUE(isRfc3339Micros(madeAt)) << madeAt;
    EXPECT_LT(std::abs(secondsFromNow(madeAt)), 60.0) << madeAt;
    EXPECT_EQ(
        result.body.rfind(R"({"id":)" + std::to_string(id) + R"(,"status":"PROCESSING","customer":1,"made_at":")", 0),
        0u)
        << result.body;
}

TEST_F(ServicesOrderRequests, CreateOrderWithoutTrailingSlashIsServed) {
    const HttpResult result = orders("POST", "/orders", R"({"customer": 1})");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(json(result.body)->getValue<int>("id"), 1);
}

TEST_F(ServicesOrderRequests, CreateOrderAcceptsNumericStringCustomer) {
    const HttpResult result = createOrder("\"7\"");

    ASSERT_EQ(result.status, 201) << result.body;
    EXPECT_EQ(json(result.body)->getValue<int>("customer"), 7);
    EXPECT_NE(result.body.find(R"("customer":7,)"), std::string::npos) << "rendered as a number: " << result.body;
}

TEST_F(ServicesOrderRequests, CreateOrderRejectsZeroCustomer) {
    const HttpResult result = createOrder("0");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"customer":["Ensure this value is greater than or equal to 1."]})");
}

TEST_F(ServicesOrderRequests, CreateOrderRejectsNegativeCustomer) {
    const HttpResult result = createOrder("-1");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"customer":["Ensure this value is greater than or equal to 1."]})");
}

TEST_F(ServicesOrderRequests, CreateOrderRejectsNonNumericCustomer) {
    const HttpResult result = createOrder("\"abc\"");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"customer":["A valid integer is required."]})");
}

TEST_F(ServicesOrderRequests, CreateOrderRejectsFractionalCustomer) {
    const HttpResult result = createOrder("1.5");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"customer":["A valid integer is required."]})");
}

TEST_F(ServicesOrderRequests, CreateOrderRejectsBooleanCustomer) {
    const HttpResult result = createOrder("true");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"customer":["A valid integer is required."]})");
}

TEST_F(ServicesOrderRequests, CreateOrderRejectsNullCustomer) {
    const HttpResult result = createOrder("null");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"customer":["This field may not be null."]})");
}

TEST_F(ServicesOrderRequests, CreateOrderRejectsMissingCustomer) {
    const HttpResult result = orders("POST", "/orders/", R"({"status": "PROCESSING"})");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"customer":["This field is required."]})");
}

TEST_F(ServicesOrderRequests, CreateOrderWithEmptyBodyReportsCustomerRequired) {
    const HttpResult result = orders("POST", "/orders/", "");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"customer":["This field is required."]})");
}

TEST_F(ServicesOrderRequests, CreateOrderIgnoresReadOnlyFieldsSentByTheClient) {
    const HttpResult result =
        orders("POST", "/orders/",
               R"({"id": 500, "status": "SHIPPED", "made_at": "2000-01-01T00:00:00.000000Z", "customer": 3})");

    ASSERT_EQ(result.status, 201) << result.body;
    const auto order = json(result.body);
    EXPECT_EQ(order->getValue<int>("id"), 1);
    EXPECT_EQ(order->getValue<std::string>("status"), "PROCESSING");
    EXPECT_EQ(order->getValue<int>("customer"), 3);
    EXPECT_NE(order->getValue<std::string>("made_at"), "2000-01-01T00:00:00.000000Z");
    EXPECT_EQ(orders("GET", "/orders/500/").status, 404);
}

TEST_F(ServicesOrderRequests, CreateOrderIgnoresUnknownFields) {
    const HttpResult result = orders("POST", "/orders/", R"({"customer": 2, "items": [1, 2], "note": "x"})");

    ASSERT_EQ(result.status, 201) << result.body;
    const auto order = json(result.body);
    EXPECT_EQ(order->size(), 4u) << result.body;
    EXPECT_EQ(order->getValue<int>("customer"), 2);
}

TEST_F(ServicesOrderRequests, CreateOrderRejectsMalformedJson) {
    const HttpResult result = orders("POST", "/orders/", R"({"customer": 1)");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(json(result.body)->getValue<std::string>("detail").rfind("JSON parse error", 0), 0u) << result.body;
}

TEST_F(ServicesOrderRequests, CreateOrderRejectsJsonArrayBody) {
    const HttpResult result = orders("POST", "/orders/", "[1,2]");

    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body, R"({"detail":"Invalid data. Expected a dictionary, but got list."})");
}

TEST_F(ServicesOrderRequests, CreateOrderRejectsTextPlainBodyWith415) {
    const HttpResult result = orders("POST", "/orders/", R"({"customer": 1})", "text/plain");

    EXPECT_EQ(result.status, 415);
    EXPECT_EQ(result.body, R"({"detail":"Unsupported media type \"text/plain\" in request."})");
}

TEST_P(ServicesOrders, CreateOrderLeavesOneOrdersCreateMessageOnTheBroker) {
    const HttpResult created = createOrder("5");
    ASSERT_EQ(created.status, 201) << created.body;
    const int id = json(created.body)->getValue<int>("id");

    BrokerClient broker;
    const auto message = broker.get("orders.create", 10s);

    ASSERT_TRUE(message) << "no orders.create message\n" << host_->log();
    EXPECT_EQ(message->exchange, "orders");
    EXPECT_EQ(message->routingKey, "orders.create");
    const auto body = json(message->body);
    EXPECT_EQ(body->size(), 2u) << message->body;
    EXPECT_EQ(body->getValue<int>("id"), id) << message->body;
    EXPECT_EQ(body->getValue<int>("customer"), 5) << message->body;
    EXPECT_FALSE(message->properties.messageId.empty());
    EXPECT_FALSE(message->properties.correlationId.empty());
    ASSERT_EQ(message->properties.headers.count("order_id"), 1u);
    EXPECT_EQ(message->properties.headers.at("order_id"), std::to_string(id));
    EXPECT_FALSE(broker.get("orders.create", 500ms)) << "a second message for one order";
}

TEST_P(ServicesOrders, EachOrderGetsItsOwnMessageAndCorrelationIds) {
    const auto ids = createOrders(std::vector<std::int64_t>{1, 2});
    ASSERT_EQ(ids.size(), 2u);

    BrokerClient broker;
    const auto first = broker.get("orders.create", 10s);
    const auto second = broker.get("orders.create", 10s);

    ASSERT_TRUE(first && second) << host_->log();
    EXPECT_EQ(idOf(first->body), ids[0]);
    EXPECT_EQ(idOf(second->body), ids[1]);
    EXPECT_NE(first->properties.messageId, second->properties.messageId);
    EXPECT_NE(first->properties.correlationId, second->properties.correlationId);
}

TEST_F(ServicesOrderRequests, RefusedOrderPublishesNothing) {
    ASSERT_EQ(createOrder("0").status, 400);
    ASSERT_EQ(orders("POST", "/orders/", "[1,2]").status, 400);
    ASSERT_EQ(createOrder("2").status, 201);

    BrokerClient broker;
    const auto message = broker.get("orders.create", 10s);

    ASSERT_TRUE(message) << host_->log();
    EXPECT_EQ(message->body, R"({"id":1,"customer":2})");
    EXPECT_FALSE(broker.get("orders.create", 500ms));
}

TEST_P(ServicesOrders, ListOrdersReturnsEveryOrderOrderedById) {
    const auto ids = createOrders(std::vector<std::int64_t>{3, 1, 2});
    ASSERT_EQ(ids.size(), 3u);

    const HttpResult result = orders("GET", "/orders/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.contentType, "application/json");
    const auto array = jsonArray(result.body);
    ASSERT_EQ(array->size(), 3u);
    for (unsigned i = 0; i < 3; ++i) {
        const auto order = array->getObject(i);
        EXPECT_EQ(order->getValue<std::int64_t>("id"), ids[i]);
        EXPECT_EQ(order->getValue<std::string>("status"), "PROCESSING");
        EXPECT_TRUE(isRfc3339Micros(order->getValue<std::string>("made_at")));
    }
    EXPECT_EQ(array->getObject(0)->getValue<int>("customer"), 3);
    EXPECT_EQ(array->getObject(1)->getValue<int>("customer"), 1);
    EXPECT_EQ(array->getObject(2)->getValue<int>("customer"), 2);
}

TEST_P(ServicesOrders, ListOrdersReturnsEmptyArrayWhenThereAreNone) {
    const HttpResult result = orders("GET", "/orders/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, "[]");
}

TEST_F(ServicesOrderRequests, ListOrdersWithoutTrailingSlashIsServed) {
    createOrders(2);

    const HttpResult result = orders("GET", "/orders");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(idsOf(result.body), idsUpTo(2));
}

TEST_P(ServicesOrders, GetOrderReturnsWhatCreateReturned) {
    const HttpResult created = createOrder("4");
    ASSERT_EQ(created.status, 201) << created.body;

    const HttpResult result = orders("GET", "/orders/" + std::to_string(idOf(created.body)) + "/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, created.body);
}

TEST_F(ServicesOrderRequests, GetOrderWithoutTrailingSlashIsServed) {
    const HttpResult created = createOrder("4");
    ASSERT_EQ(created.status, 201) << created.body;

    const HttpResult result = orders("GET", "/orders/1");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.body, created.body);
}

TEST_P(ServicesOrders, GetOrderShowsAStatusChangedInTheDatabase) {
    const auto ids = createOrders(1);
    ASSERT_EQ(ids.size(), 1u);
    executeSql("orders", "UPDATE orders_order SET status = " + std::to_string(kOrderCancelled));

    const HttpResult result = orders("GET", "/orders/" + std::to_string(ids[0]) + "/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(json(result.body)->getValue<std::string>("status"), "CANCELLED");
}

TEST_P(ServicesOrders, GetUnknownOrderIs404NotFound) {
    const auto ids = createOrders(1);
    ASSERT_EQ(ids.size(), 1u);
    const std::string next = std::to_string(ids[0] + 1);

    for (const std::string& path : {"/orders/" + next + "/", "/orders/" + next}) {
        const HttpResult result = orders("GET", path);

        EXPECT_EQ(result.status, 404) << path;
        EXPECT_EQ(result.body, R"({"detail":"Not found."})") << path;
    }
}

TEST_F(ServicesOrderRequests, GetOrderWithNonPositiveOrNonNumericIdIs404NotFound) {
    createOrders(1);

    for (const char* path : {"/orders/0/", "/orders/abc/", "/orders/-1/", "/orders/0", "/orders/abc", "/orders/-1",
                             "/orders/1abc/", "/orders/%201/"}) {
        const HttpResult result = orders("GET", path);

        EXPECT_EQ(result.status, 404) << path;
        EXPECT_EQ(result.body, R"({"detail":"Not found."})") << path;
    }
}

TEST_F(ServicesOrderRequests, WrongMethodOnTheListIs405AllowingGetAndPost) {
    for (const char* method : {"PUT", "PATCH", "DELETE"}) {
        const HttpResult result = orders(method, "/orders/", R"({"customer": 1})");

        EXPECT_EQ(result.status, 405) << method;
        EXPECT_EQ(result.body, std::string(R"({"detail":"Method \")") + method + R"(\" not allowed."})");
        const std::string allow = result.header("Allow");
        EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
        EXPECT_NE(allow.find("POST"), std::string::npos) << allow;
    }
}

TEST_F(ServicesOrderRequests, WrongMethodOnAnOrderIs405AllowingGet) {
    createOrders(1);

    for (const char* method : {"PUT", "PATCH", "DELETE", "POST"}) {
        for (const char* path : {"/orders/1/", "/orders/1"}) {
            const HttpResult result = orders(method, path, R"({"customer": 1})");

            EXPECT_EQ(result.status, 405) << method << " " << path;
            EXPECT_EQ(result.header("Allow"), "GET, HEAD") << method << " " << path;
        }
    }
}

TEST_F(ServicesOrderRequests, AnswersCarryTheReasonPhraseOfTheirStatus) {
    using Line = std::pair<int, std::string>;
    EXPECT_EQ(statusLine(ports_.orders, "POST", "/orders/", R"({"customer": 1})"), (Line{201, "Created"}));
    EXPECT_EQ(statusLine(ports_.orders, "GET", "/orders/1/"), (Line{200, "OK"}));
    EXPECT_EQ(statusLine(ports_.orders, "POST", "/orders/", R"({"customer": 0})"), (Line{400, "Bad Request"}));
    EXPECT_EQ(statusLine(ports_.orders, "GET", "/orders/2/"), (Line{404, "Not Found"}));
    EXPECT_EQ(statusLine(ports_.orders, "DELETE", "/orders/1/"), (Line{405, "Method Not Allowed"}));
    EXPECT_EQ(statusLine(ports_.orders, "POST", "/orders/", R"({"customer": 1})", "text/plain"),
              (Line{415, "Unsupported Media Type"}));
}

TEST_F(ServicesOrderRequests, HeadOfAnOrderAnswersLikeGetWithoutTheBody) {
    HttpClient client(ports_.orders);
    ASSERT_EQ(client.post("/orders/", R"({"customer": 1})").status, 201);
    const HttpResult get = client.get("/orders/1/");
    const HttpResult head = client.request("HEAD", "/orders/1/");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.header("Content-Length"), std::to_string(get.body.size()));
    EXPECT_EQ(client.get("/orders/1/").status, 200) << "the connection stays usable after HEAD";
}

TEST_F(ServicesOrderRequests, ConnectionStaysUsableAfterA405WithABody) {
    HttpClient client(ports_.orders);

    const HttpResult refused = client.request("PUT", "/orders/1/", R"({"customer": 1, "padding": "xxxxxxxx"})");
    const HttpResult next = client.post("/orders/", R"({"customer": 1})");

    EXPECT_EQ(refused.status, 405);
    EXPECT_EQ(next.status, 201) << next.body;
}

INSTANTIATE_TEST_SUITE_P(Connectors, ServicesOrders, kEveryConnector, ConnectorParamName());

}  // namespace
}  // namespace micro_order::testing
