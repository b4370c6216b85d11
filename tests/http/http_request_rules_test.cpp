// What the listener answers to requests it must refuse or tolerate before any handler runs:
// Host rules of RFC 9112 §3.2, bad percent-encoding, head and URI limits, unknown routes.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "http/probe_host_test.hpp"
#include "support/http_client.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

/// A JSON error answer: application/json with a string "detail".
void expectJsonDetail(const RawResponse& response) {
    EXPECT_EQ(response.header("Content-Type").rfind("application/json", 0), 0u) << response.head;
    EXPECT_FALSE(json(response.body)->getValue<std::string>("detail").empty()) << response.body;
}

class HttpRequestRules : public ProbeHostTest {
protected:
    void SetUp() override { startHost(); }
};

TEST_F(HttpRequestRules, Http10RequestWithoutHostIsServed) {
    const auto response = exchange("GET /echo/ HTTP/1.0\r\n\r\n");

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 200) << response->head << "\n" << response->body;
    EXPECT_EQ(json(response->body)->getValue<std::string>("path"), "/echo/");
}

TEST_F(HttpRequestRules, Http10HealthzWithoutHostIsServed) {
    const auto response = exchange("GET /healthz HTTP/1.0\r\n\r\n");

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 200) << response->head << "\n" << response->body;
}

TEST_F(HttpRequestRules, Http11RequestWithoutHostIs400Json) {
    const auto response = exchange("GET /echo/ HTTP/1.1\r\n\r\n");

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 400) << response->head;
    expectJsonDetail(*response);
}

TEST_F(HttpRequestRules, BadPercentEncodingInPathIs400Json) {
    const auto response = exchange(getRequest("/echo/%zz/"));

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 400) << response->head;
    expectJsonDetail(*response);
}

TEST_F(HttpRequestRules, BadPercentEncodingInQueryIs400Json) {
    const auto response = exchange(getRequest("/echo/?status=%zz"));

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 400) << response->head;
    expectJsonDetail(*response);
}

TEST_F(HttpRequestRules, TruncatedPercentEncodingInQueryIs400Json) {
    const auto response = exchange(getRequest("/echo/?status=%4"));

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 400) << response->head;
    expectJsonDetail(*response);
}

TEST_F(HttpRequestRules, UnknownPathIs404Json) {
    const auto response = exchange(getRequest("/nowhere/"));

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 404) << response->head;
    expectJsonDetail(*response);
}

TEST_F(HttpRequestRules, WrongMethodIs405JsonWithAllow) {
    const auto response = exchange("DELETE /sleep/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 405) << response->head;
    EXPECT_EQ(response->header("Allow"), "GET, HEAD");
    expectJsonDetail(*response);
}

TEST_F(HttpRequestRules, UriLongerThanMaxUriBytesIs414) {
    // 8,192 bytes by default; the head stays under max_header_bytes (16,384).
    const auto response = exchange(getRequest("/echo/?q=" + std::string(9000, 'a')));

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 414) << response->head;
}

TEST_F(HttpRequestRules, UriLongerThanMaxHeaderBytesIs414) {
    // Over the whole head's limit too: still the URI's fault, not the headers'.
    const auto response = exchange(getRequest("/echo/?q=" + std::string(20000, 'a')));

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 414) << response->head;
}

TEST_F(HttpRequestRules, UriJustUnderMaxUriBytesIsServed) {
    const std::string path = "/echo/?q=";
    const auto response = exchange(getRequest(path + std::string(8000 - path.size(), 'a')));

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 200) << response->head;
}

TEST_F(HttpRequestRules, HeadLargerThanMaxHeaderBytesIs431) {
    // One header of 20,000 bytes: over the 16,384-byte head limit.
    const auto response = exchange(getRequest("/echo/", "X-Large: " + std::string(20000, 'a') + "\r\n"));

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 431) << response->head;
}

TEST_F(HttpRequestRules, HeadLargerThanMaxHeaderBytesIs431WhenItArrivesInPieces) {
    RawConnection connection(port_);
    // The request line and part of Host first: Beast takes the request line alone, and the rest
    // (under max_header_bytes by itself) arrives later. 40 bytes would be a whole request.
    const std::string request = getRequest("/echo/", "X-Large: " + std::string(20000, 'a') + "\r\n");
    connection.send(request.substr(0, 30));
    std::this_thread::sleep_for(50ms);
    connection.send(request.substr(30));

    const auto response = connection.readResponse(5s);

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 431) << response->head;
}

TEST_F(HttpRequestRules, HeadOverMaxHeaderBytesIs431WhenNoPieceIsOverItAlone) {
    // 10 KB of whole fields, then 10 KB more: each piece is under max_header_bytes (16 KiB), the
    // head is not. Beast takes the first piece's fields and measures only what it has not taken.
    RawConnection connection(port_);
    const std::string first = "X-First: " + std::string(10000, 'a') + "\r\nX-Second: ";
    const std::string request = getRequest("/echo/", first + std::string(10000, 'b') + "\r\n");
    const std::size_t split = request.find("X-Second: ") + 10;
    connection.send(request.substr(0, split));
    std::this_thread::sleep_for(50ms);
    connection.send(request.substr(split));

    const auto response = connection.readResponse(5s);

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 431) << response->head;
}

TEST_F(HttpRequestRules, MoreHeadersThanMaxHeaderCountIs431) {
    std::string headers;
    for (int i = 0; i < 120; ++i) {  // the default max_header_count is 100
        headers += "X-Header-" + std::to_string(i) + ": v\r\n";
    }
    const auto response = exchange(getRequest("/echo/", headers));

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 431) << response->head;
}

TEST_F(HttpRequestRules, NinetyHeadersAreServed) {
    std::string headers;
    for (int i = 0; i < 90; ++i) {
        headers += "X-Header-" + std::to_string(i) + ": v\r\n";
    }
    const auto response = exchange(getRequest("/echo/", headers));

    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 200) << response->head;
}

TEST(HttpRequestLimits, MaxUriBytesFromTheYamlIsApplied) {
    const unsigned short port = freePort();
    HostProcess host(probeYaml(port, "max_uri_bytes: 100\n"));
    host.waitUntilReady();
    RawConnection connection(port);
    connection.send(getRequest("/echo/?q=" + std::string(200, 'a')));

    const auto response = connection.readResponse(5s);

    ASSERT_TRUE(response) << "no answer\n" << host.log();
    EXPECT_EQ(response->status, 414) << response->head << "\n" << host.log();
}

}  // namespace
}  // namespace micro_order::testing
