// The services under concurrent keep-alive clients: every request commits, ids stay distinct.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "services/services_fixture.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kThreads = 8;
constexpr int kRequestsPerThread = 50;
constexpr std::size_t kTotal = kThreads * kRequestsPerThread;

class ServicesConcurrency : public ConnectorServicesTest {
protected:
    /// kThreads keep-alive clients each POST kRequestsPerThread bodies (`body(thread, i)`) to
    /// `path` at once. Every answer must be a 201; returns the ids they carried.
    std::vector<std::int64_t> postConcurrently(unsigned short port, const std::string& path,
                                               const std::function<std::string(int, int)>& body) {
        std::vector<std::vector<std::int64_t>> ids(kThreads);
        std::vector<std::string> failures(kThreads);
        {
            std::vector<std::jthread> threads;
            for (int t = 0; t < kThreads; ++t) {
                threads.emplace_back([&, t] {
                    try {
                        HttpClient client(port);
                        for (int i = 0; i < kRequestsPerThread; ++i) {
                            const HttpResult result = client.post(path, body(t, i));
                            if (result.status != 201) {
                                failures[t] = std::to_string(result.status) + " " + result.body;
                                return;
                            }
                            ids[t].push_back(json(result.body)->getValue<std::int64_t>("id"));
                        }
                    } catch (const std::exception& error) {
                        failures[t] = error.what();
                    }
                });
            }
        }
        std::vector<std::int64_t> all;
        for (int t = 0; t < kThreads; ++t) {
            EXPECT_EQ(failures[t], "") << "client " << t;
            all.insert(all.end(), ids[t].begin(), ids[t].end());
        }
        return all;
    }

    std::vector<std::int64_t> postOrdersConcurrently() {
        return postConcurrently(ports_.orders, "/orders/",
                                [](int t, int) { return R"({"customer": )" + std::to_string(t + 1) + "}"; });
    }
};

TEST_P(ServicesConcurrency, ConcurrentOrderCreatesAllSucceedWithDistinctIds) {
    const auto ids = postOrdersConcurrently();

    ASSERT_EQ(ids.size(), kTotal);
    const std::set<std::int64_t> distinct(ids.begin(), ids.end());
    EXPECT_EQ(distinct.size(), kTotal);
    const HttpResult list = orders("GET", "/orders/?limit=1000");
    ASSERT_EQ(list.status, 200) << list.body.substr(0, 200);
    const auto listed = idsOf(list.body);
    EXPECT_EQ(listed, std::vector<std::int64_t>(distinct.begin(), distinct.end()));
    EXPECT_EQ(list.header("Link"), "");
}

TEST_P(ServicesConcurrency, ConcurrentOrderCreatesKeepEachClientsCustomer) {
    const auto ids = postOrdersConcurrently();
    ASSERT_EQ(ids.size(), kTotal);

    for (int t = 0; t < kThreads; ++t) {
        const HttpResult list = orders("GET", "/orders/?limit=1000&customer=" + std::to_string(t + 1));
        ASSERT_EQ(list.status, 200) << list.body.substr(0, 200);
        EXPECT_EQ(idsOf(list.body).size(), static_cast<std::size_t>(kRequestsPerThread)) << "customer " << t + 1;
    }
}

TEST_P(ServicesConcurrency, ConcurrentOrderCreatesPublishOneMessageEach) {
    const auto ids = postOrdersConcurrently();
    ASSERT_EQ(ids.size(), kTotal);

    BrokerClient broker;
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (broker.messageCount("orders.create") < kTotal && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
    }
    std::this_thread::sleep_for(300ms);  // a duplicate would show up now

    EXPECT_EQ(broker.messageCount("orders.create"), kTotal) << host_->log();
}

TEST_P(ServicesConcurrency, ConcurrentCustomerCreatesAllSucceedWithDistinctIds) {
    const auto ids = postConcurrently(ports_.customers, "/customers/", [](int t, int i) {
        return R"({"email": "user)" + std::to_string(t) + "." + std::to_string(i) +
               R"(@email.com", "address": "Moutain View, 33"})";
    });

    ASSERT_EQ(ids.size(), kTotal);
    const std::set<std::int64_t> distinct(ids.begin(), ids.end());
    EXPECT_EQ(distinct.size(), kTotal);
    const HttpResult list = customers("GET", "/customers/?limit=1000");
    ASSERT_EQ(list.status, 200) << list.body.substr(0, 200);
    EXPECT_EQ(idsOf(list.body), std::vector<std::int64_t>(distinct.begin(), distinct.end()));
}

TEST_P(ServicesConcurrency, ConcurrentListReadsDuringWritesAllSucceed) {
    std::atomic<bool> writing{true};
    std::vector<std::string> failures(2);
    {
        std::vector<std::jthread> readers;
        for (int r = 0; r < 2; ++r) {
            readers.emplace_back([&, r] {
                try {
                    HttpClient client(ports_.orders);
                    while (writing) {
                        const HttpResult result = client.get("/orders/?limit=50");
                        if (result.status != 200) {
                            failures[r] = std::to_string(result.status) + " " + result.body;
                            return;
                        }
                        jsonArray(result.body);
                    }
                } catch (const std::exception& error) {
                    failures[r] = error.what();
                }
            });
        }
        const auto ids = postOrdersConcurrently();
        writing = false;
        EXPECT_EQ(ids.size(), kTotal);
    }
    EXPECT_EQ(failures[0], "");
    EXPECT_EQ(failures[1], "");
}

INSTANTIATE_TEST_SUITE_P(Connectors, ServicesConcurrency, kEveryConnector, ConnectorParamName());

}  // namespace
}  // namespace micro_order::testing
