// Deadlines: a client that sends its request too slowly, sends nothing, stays idle or does not
// read its response loses its connection after the configured time, and the cut is counted.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "http/probe_host_test.hpp"
#include "support/http_client.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const char* const kTimeouts = "micro_order_http_timeouts_total";

class HttpTimeouts : public ProbeHostTest {
protected:
    double timeoutsOfKind(const std::string& kind, double atLeast = 1) {
        return waitForMetric(port_, kTimeouts, {{"instance", "probe"}, {"kind", kind}}, atLeast, 3s).value_or(0);
    }
};

TEST_F(HttpTimeouts, TricklingHeadIsCutWith408AtTheDefaultHeaderTimeout) {
    startHost();  // header_timeout_ms: 5000 by default
    RawConnection connection(port_);
    const auto began = Clock::now();
    connection.send("GET /echo/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: ");

    // One byte a second: every read gets something, only the deadline on the whole head helps.
    std::optional<RawResponse> response;
    while (!response && millisSince(began) < 10000) {
        if (!connection.trySend("a", 1s)) {
            break;
        }
        response = connection.readResponse(1s);
    }
    if (!response) {
        response = connection.readResponse(1s);
    }
    const long long took = millisSince(began);

    ASSERT_TRUE(response) << "no answer to a head trickled for " << took << " ms";
    EXPECT_EQ(response->status, 408) << response->head;
    EXPECT_GE(took, 4500);
    EXPECT_LE(took, 7500);
    EXPECT_FALSE(json(response->body)->getValue<std::string>("detail").empty()) << response->body;
    EXPECT_NE(connection.waitForClose(2s), PeerClose::StillOpen) << "open after the 408";
    EXPECT_GE(timeoutsOfKind("header"), 1);
}

TEST_F(HttpTimeouts, SilentConnectionIsClosedWithout408AtTheDefaultHeaderTimeout) {
    startHost();
    RawConnection connection(port_);
    const auto began = Clock::now();

    const PeerClose closed = connection.waitForClose(10s);
    const long long took = millisSince(began);

    EXPECT_NE(closed, PeerClose::StillOpen) << "a connection that sent nothing was kept " << took << " ms";
    EXPECT_EQ(connection.pending(), "") << "nothing was asked: nothing should be answered";
    EXPECT_GE(took, 4500);
    EXPECT_LE(took, 7500);
}

TEST_F(HttpTimeouts, IdleKeepAliveConnectionIsClosedSilentlyAndCountedAfterKeepAliveTimeout) {
    startHost("keep_alive_timeout_s: 1\n");
    RawConnection connection(port_);
    connection.send(getRequest("/echo/"));
    ASSERT_TRUE(connection.readResponse(5s)) << "no answer";
    const auto began = Clock::now();

    const PeerClose closed = connection.waitForClose(5s);
    const long long took = millisSince(began);

    EXPECT_NE(closed, PeerClose::StillOpen) << "kept idle for " << took << " ms";
    EXPECT_EQ(connection.pending(), "") << "an idle connection is closed, not answered";
    EXPECT_GE(took, 800);
    EXPECT_LE(took, 3000);
    EXPECT_GE(timeoutsOfKind("keep_alive"), 1);
}

TEST_F(HttpTimeouts, SlowBodyIsCutWith408AndCountedAfterBodyTimeout) {
    startHost("body_timeout_ms: 1000\n");
    RawConnection connection(port_);
    connection.send(
        "POST /echo/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n"
        "only ten b");
    const auto began = Clock::now();

    const auto response = connection.readResponse(5s);
    const long long took = millisSince(began);

    ASSERT_TRUE(response) << "no answer to a body that stopped after 10 of 100 bytes";
    EXPECT_EQ(response->status, 408) << response->head;
    EXPECT_GE(took, 800);
    EXPECT_LE(took, 3000);
    EXPECT_NE(connection.waitForClose(2s), PeerClose::StillOpen) << "open after the 408";
    EXPECT_GE(timeoutsOfKind("body"), 1);
}

TEST_F(HttpTimeouts, ClientThatDoesNotReadALargeResponseIsCutAfterSendTimeoutAndCounted) {
    startHost("send_timeout_ms: 1000\n");
    const std::size_t bodyBytes = 16 << 20;  // far more than both sockets' buffers hold
    RawConnection reader(port_, 4096);
    reader.send(getRequest("/big/" + std::to_string(bodyBytes) + "/"));
    const auto began = Clock::now();

    // Never read: the server's write stalls on a full window until its deadline.
    const auto counted = waitForMetric(port_, kTimeouts, {{"instance", "probe"}, {"kind", "send"}}, 1, 6s);
    const long long took = millisSince(began);
    std::this_thread::sleep_for(200ms);
    const PeerClose closed = reader.waitForClose(10s);  // reads what was sent, then the end

    EXPECT_GE(counted.value_or(0), 1) << "no send timeout counted after " << took << " ms";
    EXPECT_GE(took, 800);
    EXPECT_LE(took, 4000);
    EXPECT_NE(closed, PeerClose::StillOpen) << "the stalled connection stayed open";
    EXPECT_LT(reader.pending().size(), bodyBytes) << "the whole response arrived: nothing was cut";
}

TEST_F(HttpTimeouts, SlowReaderThatKeepsReadingWithinSendTimeoutGetsTheWholeResponse) {
    startHost("send_timeout_ms: 2000\n");
    const std::size_t bodyBytes = 4 << 20;
    RawConnection reader(port_, 4096);
    reader.send(getRequest("/big/" + std::to_string(bodyBytes) + "/"));

    const auto response = reader.readResponse(20s);

    ASSERT_TRUE(response) << "a reader that keeps reading lost its response";
    EXPECT_EQ(response->body.size(), bodyBytes);
}

}  // namespace
}  // namespace micro_order::testing
