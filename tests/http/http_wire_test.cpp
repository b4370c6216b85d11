// HTTP/1.1 on the wire as clients use it: pipelining, Expect: 100-continue, chunked bodies,
// HEAD, connection reuse rules, and the connection after a refused body.
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <string>

#include "http/probe_host_test.hpp"
#include "support/http_client.hpp"
#include "support/test_environment.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

class HttpWire : public ProbeHostTest {
protected:
    void SetUp() override { startHost(); }
};

TEST_F(HttpWire, ThreePipelinedRequestsInOneWriteAreAnsweredInOrder) {
    RawConnection connection(port_);
    // The first takes longest: a listener that answered as handlers finish would reorder them.
    connection.send(getRequest("/sleep/300/") + getRequest("/sleep/0/") + getRequest("/sleep/100/"));

    for (const int expected : {300, 0, 100}) {
        const auto response = connection.readResponse(5s);
        ASSERT_TRUE(response) << "no answer for the request sleeping " << expected << " ms";
        ASSERT_EQ(response->status, 200) << response->head;
        EXPECT_EQ(json(response->body)->getValue<int>("slept_ms"), expected);
    }
}

TEST_F(HttpWire, ExpectContinueGets100BeforeTheBodyIsSent) {
    RawConnection connection(port_);
    connection.send(
        "POST /echo/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n"
        "Expect: 100-continue\r\n\r\n");

    const auto interim = connection.readResponse(2s);
    ASSERT_TRUE(interim) << "no 100 Continue before the body";
    EXPECT_EQ(interim->status, 100) << interim->head;
    connection.send("hello world");
    const auto response = connection.readResponse(5s);
    ASSERT_TRUE(response) << "no answer after the body";
    EXPECT_EQ(response->status, 200) << response->head;
    EXPECT_EQ(json(response->body)->getValue<std::string>("body"), "hello world");
}

TEST_F(HttpWire, ExpectContinueWithTooLargeABodyGets413Instead) {
    RawConnection connection(port_);
    // max_body_bytes is 1 MiB by default: no 100, the client must not send the body.
    connection.send(
        "POST /echo/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 10000000\r\n"
        "Expect: 100-continue\r\n\r\n");

    const auto response = connection.readResponse(2s);
    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 413) << response->head;
}

TEST_F(HttpWire, ChunkedRequestBodyReachesTheHandlerWhole) {
    RawConnection connection(port_);
    connection.send(
        "POST /echo/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n");

    const auto response = connection.readResponse(5s);
    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 200) << response->head;
    EXPECT_EQ(json(response->body)->getValue<std::string>("body"), "hello world");
    EXPECT_EQ(json(response->body)->getValue<int>("body_bytes"), 11);
}

TEST_F(HttpWire, ConnectionIsClosedAfter413OnceTheRefusedBodyWasDrained) {
    RawConnection connection(port_);
    const std::string body(3 << 20, 'x');  // 3 MiB, over the 1 MiB default
    // The whole body goes out after the server has answered: a server that closed without
    // reading it would reset the connection, and the client would lose the 413 it was sent.
    const bool bodyTaken =
        connection.trySend("POST /echo/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body);

    EXPECT_TRUE(bodyTaken) << "the server stopped reading the refused body";
    const auto response = connection.readResponse(5s);
    ASSERT_TRUE(response) << "no 413 (lost to a reset?), got: " << connection.pending().substr(0, 200);
    EXPECT_EQ(response->status, 413) << response->head;
    EXPECT_EQ(json(response->body)->getValue<std::string>("detail").empty(), false);
    EXPECT_EQ(connection.waitForClose(5s), PeerClose::Eof) << "the connection stays open after a 413";
}

TEST_F(HttpWire, HeadAnswersGetsHeadersWithoutItsBody) {
    RawConnection connection(port_);
    connection.send("HEAD /big/1000/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + getRequest("/healthz"));

    const auto head = connection.readResponse(5s, true);
    ASSERT_TRUE(head) << "no answer to HEAD";
    EXPECT_EQ(head->status, 200) << head->head;
    EXPECT_EQ(head->header("Content-Length"), "1000");
    // Any body byte after HEAD's head would be read as the start of the next response.
    const auto next = connection.readResponse(5s);
    ASSERT_TRUE(next) << "no answer to the GET after HEAD; received: " << connection.pending().substr(0, 80);
    EXPECT_EQ(next->status, 200) << next->head;
    EXPECT_EQ(json(next->body)->getValue<std::string>("status"), "ok");
}

TEST_F(HttpWire, KeepAliveServesManyRequestsOnOneConnection) {
    RawConnection connection(port_);
    for (int i = 0; i < 20; ++i) {
        connection.send(getRequest("/echo/?n=" + std::to_string(i)));
        const auto response = connection.readResponse(5s);
        ASSERT_TRUE(response) << "request " << i << " got no answer";
        EXPECT_EQ(json(response->body)->getObject("query")->getValue<std::string>("n"), std::to_string(i));
    }
}

TEST_F(HttpWire, Http10ConnectionIsClosedAfterTheResponse) {
    RawConnection connection(port_);
    connection.send("GET /echo/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");

    const auto response = connection.readResponse(5s);
    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(connection.waitForClose(2s), PeerClose::Eof);
}

TEST_F(HttpWire, Http10KeepAliveRequestKeepsTheConnection) {
    RawConnection connection(port_);
    connection.send("GET /echo/ HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
    const auto first = connection.readResponse(5s);
    ASSERT_TRUE(first) << "no answer";
    connection.send("GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");

    const auto second = connection.readResponse(5s);

    ASSERT_TRUE(second) << "the connection was not kept";
    EXPECT_EQ(second->status, 200);
}

TEST_F(HttpWire, ConnectionCloseRequestClosesAfterTheResponse) {
    RawConnection connection(port_);
    connection.send(getRequest("/echo/", "Connection: close\r\n"));

    const auto response = connection.readResponse(5s);
    ASSERT_TRUE(response) << "no answer";
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(connection.waitForClose(2s), PeerClose::Eof);
}

TEST(HttpKeepAliveLimit, ConnectionIsClosedAfterMaxKeepAliveRequests) {
    const unsigned short port = freePort();
    HostProcess host(probeYaml(port, "max_keep_alive_requests: 3\n"));
    host.waitUntilReady();
    RawConnection connection(port);

    for (int i = 1; i <= 3; ++i) {
        connection.send(getRequest("/echo/"));
        const auto response = connection.readResponse(5s);
        ASSERT_TRUE(response) << "request " << i << " got no answer";
        // Connection tokens are case-insensitive (RFC 9110 §7.6.1): Poco sent "Close".
        EXPECT_EQ(Poco::icompare(response->header("Connection"), "close") == 0, i == 3)
            << "request " << i << ": " << response->head;
    }

    EXPECT_EQ(connection.waitForClose(2s), PeerClose::Eof) << "open after its third request";
}

}  // namespace
}  // namespace micro_order::testing
