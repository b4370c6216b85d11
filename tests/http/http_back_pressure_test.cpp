// Bounded work: a full worker queue answers 503 at once, a listener at max_connections turns
// new connections away and counts them, and a handler calling another listener of the same
// process cannot starve it.
#include <gtest/gtest.h>

#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/probe_host_test.hpp"
#include "support/http_client.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class HttpBackPressure : public ProbeHostTest {
protected:
    /// One worker busy for 1.5 s and the queue's one place taken.
    void saturateOneWorkerAndOneQueuePlace() {
        startHost("worker_threads: 1\nworker_queue: 1\n");
        running_.emplace(port_);
        running_->send(getRequest("/sleep/1500/"));
        std::this_thread::sleep_for(300ms);  // in the one worker
        queued_.emplace(port_);
        queued_->send(getRequest("/sleep/0/"));
        std::this_thread::sleep_for(200ms);  // in the queue
    }

    std::optional<RawConnection> running_;
    std::optional<RawConnection> queued_;
};

TEST_F(HttpBackPressure, FullWorkerQueueIsAnswered503WithRetryAfterAtOnceAndCounted) {
    saturateOneWorkerAndOneQueuePlace();
    RawConnection refused(port_);
    const auto began = Clock::now();
    refused.send(getRequest("/sleep/0/"));

    const auto answer = refused.readResponse(5s);
    const long long took = millisSince(began);

    ASSERT_TRUE(answer) << "no answer with the worker busy and the queue full";
    EXPECT_EQ(answer->status, 503) << answer->head;
    EXPECT_EQ(answer->header("Retry-After"), "1") << answer->head;
    EXPECT_FALSE(json(answer->body)->getValue<std::string>("detail").empty()) << answer->body;
    EXPECT_LT(took, 800) << "the 503 waited for the worker";
    // Those already accepted are served.
    const auto first = running_->readResponse(5s);
    const auto second = queued_->readResponse(5s);
    ASSERT_TRUE(first && second) << "a request taken before the queue was full was dropped";
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(second->status, 200);
    const auto counted = waitForMetric(port_, "micro_order_http_requests_rejected_total",
                                       {{"instance", "probe"}, {"reason", "overload"}}, 1, 3s);
    EXPECT_GE(counted.value_or(0), 1) << "the 503 was not counted as an overload";
}

TEST_F(HttpBackPressure, HealthzAnswersAtOnceWhileTheWorkersAndTheirQueueAreFull) {
    saturateOneWorkerAndOneQueuePlace();
    RawConnection health(port_);
    const auto began = Clock::now();
    health.send(getRequest("/healthz"));

    const auto answer = health.readResponse(5s);

    ASSERT_TRUE(answer) << "no answer";
    EXPECT_EQ(answer->status, 200) << answer->head;
    EXPECT_LT(millisSince(began), 500) << "/healthz waited for the handlers";
}

TEST_F(HttpBackPressure, ConnectionBeyondMaxConnectionsIsClosedWithoutAnswerAndCounted) {
    startHost("max_connections: 4\n");
    std::vector<RawConnection> held;
    for (int i = 0; i < 4; ++i) {
        held.emplace_back(port_);
        held.back().send(getRequest("/echo/"));
        ASSERT_TRUE(held.back().readResponse(5s)) << "connection " << i << " under the cap got no answer";
    }

    RawConnection extra(port_);  // the kernel completes the handshake; the listener must not serve it
    extra.trySend(getRequest("/echo/"));
    const PeerClose closed = extra.waitForClose(3s);

    EXPECT_NE(closed, PeerClose::StillOpen) << "a fifth connection was kept with max_connections 4";
    EXPECT_EQ(extra.pending(), "") << "a connection over the cap was served";
    held.pop_back();  // room for the scrape
    std::this_thread::sleep_for(200ms);
    const auto refused =
        waitForMetric(port_, "micro_order_http_connections_refused_total", {{"instance", "probe"}}, 1, 3s);
    EXPECT_GE(refused.value_or(0), 1) << "the refused connection was not counted";
    // The connections under the cap still serve.
    held.front().send(getRequest("/healthz"));
    const auto still = held.front().readResponse(2s);
    EXPECT_TRUE(still && still->status == 200) << "a connection under the cap stopped serving";
}

TEST(HttpListenerIsolation, HandlersCallingAnotherListenerOfTheProcessDoNotStarveIt) {
    const unsigned short portA = freePort();
    unsigned short portB = freePort();
    while (portB == portA) {
        portB = freePort();
    }
    // Two workers per listener; A gets more callers than that, each blocking on B (as the docs
    // plugin fetches /openapi.json from the services of its own process).
    HostProcess host(yamlHeader() + httpSection("worker_threads: 2\nworker_queue: 64\n") + "plugins:\n" +
                     probeInstance("a", portA) + probeInstance("b", portB));
    host.waitUntilReady();
    constexpr int kCallers = 6;
    std::vector<std::future<std::optional<RawResponse>>> calls;
    const auto began = Clock::now();
    for (int i = 0; i < kCallers; ++i) {
        calls.push_back(std::async(std::launch::async, [&, i] {
            RawConnection connection(portA);
            connection.send(
                getRequest("/call/" + std::to_string(portB) + "/?path=/echo/%3Fcaller%3D" + std::to_string(i)));
            return connection.readResponse(15s);
        }));
    }

    for (int i = 0; i < kCallers; ++i) {
        const auto response = calls[static_cast<std::size_t>(i)].get();
        ASSERT_TRUE(response) << "caller " << i << " got no answer\n" << host.log();
        ASSERT_EQ(response->status, 200) << "listener b did not answer listener a's handler: " << response->body;
        const auto fromB = json(json(response->body)->getValue<std::string>("body"));
        EXPECT_EQ(fromB->getObject("query")->getValue<std::string>("caller"), std::to_string(i));
    }
    EXPECT_LT(millisSince(began), 3000) << "the callbacks waited on each other";
    // A stays usable too once its callers are done.
    RawConnection after(portA);
    after.send(getRequest("/healthz"));
    const auto health = after.readResponse(2s);
    EXPECT_TRUE(health && health->status == 200);
}

}  // namespace
}  // namespace micro_order::testing
