// Idle, trickling and silent clients held by the thousand on one listener cost it sockets and
// buffers, never its ability to serve: a fresh request, /healthz and /metrics still answer at
// once. Runs alone (RUN_SERIAL): it holds some 2,300 descriptors on each side.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "http/probe_host_test.hpp"
#include "support/http_client.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kIdle = 2000;
constexpr int kTrickling = 200;
constexpr int kSilent = 100;
constexpr int kBatch = 100;

class HttpConnectionFlood : public ProbeHostTest {
protected:
    void SetUp() override {
        const long limit = raiseDescriptorLimit();  // the host inherits it
        ASSERT_GE(limit, 2 * (kIdle + kTrickling + kSilent) + 100) << "RLIMIT_NOFILE hard limit too low";
        // Every client here must outlive its default deadline: only the load is under test.
        startHost(
            "header_timeout_ms: 120000\n"
            "body_timeout_ms: 120000\n"
            "keep_alive_timeout_s: 120\n");
    }

    /// Keep-alive connections that each did one request and read its answer, opened in batches
    /// (a batch's requests are all in flight together). Fails the test when one gets no answer.
    void openIdleKeepAliveConnections(int count) {
        for (int first = 0; first < count; first += kBatch) {
            const std::size_t begin = idle_.size();
            for (int i = first; i < std::min(count, first + kBatch); ++i) {
                idle_.emplace_back(port_);
                idle_.back().send(getRequest("/echo/?connection=" + std::to_string(i)));
            }
            for (std::size_t i = begin; i < idle_.size(); ++i) {
                const auto response = idle_[i].readResponse(5s);
                ASSERT_TRUE(response) << "keep-alive connection " << i << " got no answer to its first request in 5 s "
                                      << "(" << i << " connections were already open and idle)";
                ASSERT_EQ(response->status, 200) << response->head;
            }
        }
    }

    /// GET `path` on a fresh connection, answered within `limit`.
    RawResponse freshGetWithin(const std::string& path, std::chrono::milliseconds limit) {
        const auto began = Clock::now();
        RawConnection connection(port_);
        connection.send(getRequest(path));
        auto response = connection.readResponse(limit);
        const long long took = millisSince(began);
        if (!response) {
            ADD_FAILURE() << "GET " << path << " on a fresh connection: no answer within " << limit.count() << " ms";
            return {};
        }
        EXPECT_LE(took, limit.count()) << "GET " << path;
        return *response;
    }

    std::vector<RawConnection> idle_;
};

TEST_F(HttpConnectionFlood, FreshRequestsAreAnsweredWithin1sWhile2300ClientsHoldConnections) {
    openIdleKeepAliveConnections(kIdle);
    ASSERT_FALSE(HasFatalFailure());
    std::vector<RawConnection> trickling;
    for (int i = 0; i < kTrickling; ++i) {
        trickling.emplace_back(port_);
        trickling.back().send("GET /echo/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: ");
    }
    std::vector<RawConnection> silent;
    for (int i = 0; i < kSilent; ++i) {
        silent.emplace_back(port_);
    }
    // One header byte a second on each trickling connection, for as long as the test runs.
    std::atomic<int> lost{0};
    std::jthread trickle([&](std::stop_token stop) {
        while (!stop.stop_requested()) {
            for (auto& connection : trickling) {
                if (!connection.trySend("a", 100ms)) {
                    ++lost;
                }
            }
            for (int tick = 0; tick < 10 && !stop.stop_requested(); ++tick) {
                std::this_thread::sleep_for(100ms);
            }
        }
    });
    std::this_thread::sleep_for(3s);  // every kind of client in place for a few trickled bytes

    const RawResponse fresh = freshGetWithin("/echo/?fresh=1", 1s);
    const RawResponse health = freshGetWithin("/healthz", 1s);
    const RawResponse metrics = freshGetWithin("/metrics", 1s);

    EXPECT_EQ(fresh.status, 200) << fresh.head;
    EXPECT_EQ(health.status, 200) << health.head;
    ASSERT_EQ(metrics.status, 200) << metrics.head;
    const auto open = metricValue(metrics.body, "micro_order_http_open_connections", {{"instance", "probe"}});
    ASSERT_TRUE(open) << "no micro_order_http_open_connections{instance=\"probe\"} in /metrics";
    EXPECT_GE(*open, kIdle + kTrickling + kSilent) << "the gauge does not count the held connections";
    trickle.request_stop();
    trickle.join();
    EXPECT_EQ(lost.load(), 0) << "trickling connections were cut although header_timeout_ms is 120 s";
    // The idle ones are still usable: none was dropped to make room.
    for (const int i : {0, kIdle / 2, kIdle - 1}) {
        idle_[static_cast<std::size_t>(i)].send(getRequest("/healthz"));
        const auto again = idle_[static_cast<std::size_t>(i)].readResponse(2s);
        EXPECT_TRUE(again && again->status == 200) << "idle keep-alive connection " << i << " no longer serves";
    }
}

}  // namespace
}  // namespace micro_order::testing
