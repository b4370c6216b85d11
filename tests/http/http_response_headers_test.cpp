// Headers we send are ours: nothing of a request header reaches a response header, Link is
// relative unless the listener has a public_url, and a handler's header with CR, LF or NUL in
// it turns into a 500 of which nothing is sent.
#include <gtest/gtest.h>

#include <string>

#include "http/orders_host_test.hpp"
#include "http/probe_host_test.hpp"
#include "http/raw_connection.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

// RFC 2047 encoded word: decoded, it is "evil.example" CR LF "Set-Cookie: session=attacker".
const char* const kEncodedWordHost = "=?UTF-8?Q?evil.example=0D=0ASet-Cookie:_session=3Dattacker?=";

class HttpResponseHeadersOfOrders : public OrdersHostTest {
protected:
    /// GET /orders/?limit=1 (two orders exist: a next page) with this Host header line.
    RawResponse listFirstOrder(const std::string& hostLine) {
        RawConnection connection(port_);
        connection.send("GET /orders/?limit=1 HTTP/1.1\r\n" + hostLine + "Connection: close\r\n\r\n");
        auto response = connection.readResponse(5s);
        if (!response) {
            ADD_FAILURE() << "no answer";
            return {};
        }
        return *response;
    }
};

TEST_F(HttpResponseHeadersOfOrders, EncodedWordInHostNeverReachesAResponseHeader) {
    startOrders();
    createOrders(2);

    const RawResponse response = listFirstOrder(std::string("Host: ") + kEncodedWordHost + "\r\n");

    EXPECT_EQ(response.status, 200) << response.head;
    EXPECT_FALSE(response.hasHeader("Set-Cookie")) << response.head;
    EXPECT_EQ(response.head.find("attacker"), std::string::npos) << response.head;
    EXPECT_EQ(response.head.find("evil.example"), std::string::npos) << response.head;
    EXPECT_EQ(response.header("Link"), "</orders/?limit=1&offset=1>; rel=\"next\"") << response.head;
}

TEST_F(HttpResponseHeadersOfOrders, LinkIsRelativeWhateverTheHostHeaderSays) {
    startOrders();
    createOrders(2);

    const RawResponse response = listFirstOrder("Host: evil.example\r\n");

    EXPECT_EQ(response.status, 200) << response.head;
    EXPECT_EQ(response.header("Link"), "</orders/?limit=1&offset=1>; rel=\"next\"") << response.head;
}

TEST_F(HttpResponseHeadersOfOrders, LinkUsesTheConfiguredPublicUrl) {
    startOrders("public_url: https://orders.example.com");
    createOrders(2);

    const RawResponse response = listFirstOrder("Host: evil.example\r\n");

    EXPECT_EQ(response.status, 200) << response.head;
    EXPECT_EQ(response.header("Link"), "<https://orders.example.com/orders/?limit=1&offset=1>; rel=\"next\"")
        << response.head;
}

TEST_F(HttpResponseHeadersOfOrders, RequestWithoutHostOverHttp10GetsARelativeLink) {
    startOrders();
    createOrders(2);

    RawConnection connection(port_);
    connection.send("GET /orders/?limit=1 HTTP/1.0\r\n\r\n");
    const auto response = connection.readResponse(5s);

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 200) << response->head;
    EXPECT_EQ(response->header("Link"), "</orders/?limit=1&offset=1>; rel=\"next\"") << response->head;
}

class HttpResponseHeadersOfHandlers : public ProbeHostTest {
protected:
    void SetUp() override { startHost(); }

    /// GET /bad-header/{kind}/: expects a JSON 500 with nothing of the bad header in it.
    void expectRefused(const std::string& kind) {
        SCOPED_TRACE("kind " + kind);
        RawConnection connection(port_);
        connection.send(getRequest("/bad-header/" + kind + "/"));
        const auto response = connection.readResponse(5s);
        ASSERT_TRUE(response) << "no answer";
        EXPECT_EQ(response->status, 500) << response->head;
        EXPECT_EQ(json(response->body)->getValue<std::string>("detail"), "Internal server error.");
        EXPECT_FALSE(response->hasHeader("Set-Cookie")) << response->head;
        EXPECT_FALSE(response->hasHeader("X-Probe")) << response->head;
        EXPECT_EQ(response->head.find("injected"), std::string::npos) << response->head;
        EXPECT_EQ(response->body.find("bad header"), std::string::npos) << "the handler's body was sent";
        // The connection still frames responses correctly afterwards.
        connection.send(getRequest("/healthz"));
        const auto next = connection.readResponse(5s);
        if (next) {
            EXPECT_EQ(next->status, 200) << next->head;
        } else {
            EXPECT_EQ(connection.pending().find("injected"), std::string::npos) << connection.pending();
        }
    }
};

TEST_F(HttpResponseHeadersOfHandlers, HeaderValueWithCrLfIsA500WithNothingOfItSent) { expectRefused("crlf"); }

TEST_F(HttpResponseHeadersOfHandlers, HeaderValueWithBareCrOrLfIsA500WithNothingOfItSent) {
    expectRefused("cr");
    expectRefused("lf");
}

TEST_F(HttpResponseHeadersOfHandlers, HeaderValueWithNulIsA500WithNothingOfItSent) { expectRefused("nul"); }

TEST_F(HttpResponseHeadersOfHandlers, HeaderNameWithCrLfIsA500WithNothingOfItSent) { expectRefused("name"); }

TEST_F(HttpResponseHeadersOfHandlers, HandlerSeesNoBaseUrlFromTheHostHeader) {
    const auto response = exchange("GET /echo/ HTTP/1.1\r\nHost: evil.example\r\n\r\n");

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(json(response->body)->getValue<std::string>("base_url"), "") << response->body;
}

TEST_F(HttpResponseHeadersOfHandlers, RequestHeaderValuesReachHandlersUndecoded) {
    const auto response = exchange(std::string("GET /echo/ HTTP/1.1\r\nHost: ") + kEncodedWordHost + "\r\n\r\n");

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(json(response->body)->getValue<std::string>("host"), kEncodedWordHost) << response->body;
}

TEST(HttpResponseHeadersWithPublicUrl, HandlerSeesTheConfiguredPublicUrlAsBaseUrl) {
    const unsigned short port = freePort();
    HostProcess host(yamlHeader() + "plugins:\n" + probeInstance("probe", port, "public_url: https://api.example.com"));
    host.waitUntilReady();
    RawConnection connection(port);
    connection.send("GET /echo/ HTTP/1.1\r\nHost: evil.example\r\n\r\n");

    const auto response = connection.readResponse(5s);

    ASSERT_TRUE(response) << "no answer\n" << host.log();
    EXPECT_EQ(json(response->body)->getValue<std::string>("base_url"), "https://api.example.com") << response->body;
}

}  // namespace
}  // namespace micro_order::testing
