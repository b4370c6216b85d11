// A PostgreSQL restart (`pg_ctl restart -m fast`) while orders stream in (issue 13): every
// order posted before, during and after ends, nothing is lost, and a request the restart hits
// answers 503, never 500.

#include <iostream>

#include "cluster_fixture.hpp"
#include "private_postgresql_cluster.hpp"
#include "support/test_environment.hpp"
#include "support/test_vhost.hpp"

using namespace std::chrono_literals;

namespace micro_order::testing {
namespace {

class ClusterPostgresqlRestartTest : public ClusterTest {};

TEST_F(ClusterPostgresqlRestartTest, OrdersPostedAcrossARestartAllEndAndNoneIsLost) {
    const TestVhost& vhost = own<TestVhost>("cluster-pg-restart");
    PrivatePostgresqlCluster& cluster = own<PrivatePostgresqlCluster>();
    std::map<std::string, std::string> urls;
    std::map<std::string, unsigned short> ports;
    for (const std::string& service : kServices) {
        urls[service] = cluster.createDatabase(service);
        ports[service] = freePort();
    }
    startHost(allInOneYaml(ports, vhost.url(), urls));
    declareTaps(vhost.url());
    const int customer = createCustomer(ports["customers"]);

    OrderPoster poster(ports["orders"], customer, 100000, 5ms);
    ASSERT_TRUE(poster.waitForCreated(40));
    const auto restartBegan = std::chrono::steady_clock::now();
    cluster.restart();
    const auto restartEnded = std::chrono::steady_clock::now();
    const int createdBefore = poster.created();
    // After: the host's pooled connections and relay lease come back by themselves.
    EXPECT_TRUE(poster.waitForCreated(createdBefore + 40, 30s));
    const std::vector<PostResult> posts = poster.stop();

    int during = 0;
    int unavailable = 0;
    for (const PostResult& post : posts) {
        EXPECT_TRUE(post.status == 201 || post.status == 503) << "a post answered " << post.status;
        unavailable += post.status == 503 ? 1 : 0;
        during += post.at >= restartBegan && post.at <= restartEnded ? 1 : 0;
    }
    const std::map<int, Order> orders = waitForFinalStates(ports["orders"], 60s);
    for (const PostResult& post : posts) {
        if (post.status == 201) {
            EXPECT_TRUE(orders.count(post.id)) << "order " << post.id << " was answered 201 and is gone";
        }
    }
    // A 503 may still have committed (a COMMIT whose outcome was unknown): it then ends too.
    EXPECT_GE(orders.size(), posts.size() - static_cast<std::size_t>(unavailable));
    EXPECT_LE(orders.size(), posts.size());
    for (const std::string& service : kServices) {
        EXPECT_EQ(outboxRowsOnceSettled(urls[service]), 0) << service;
    }
    std::map<std::string, std::vector<host::AmqpDelivery>> taps;
    for (const std::string& key : kRoutingKeys) {
        taps[key] = drainQueue(vhost.url(), "tap." + key);
    }
    const int repeats = expectEachEffectOnce(orders, customer, taps);
    const auto n = static_cast<std::int64_t>(orders.size());
    EXPECT_EQ(postgresqlCount(urls["shippings"], "SELECT COUNT(*) FROM micro_order_inbox"), 2 * n);
    EXPECT_EQ(postgresqlCount(urls["customers"], "SELECT COUNT(*) FROM micro_order_inbox"), n);
    EXPECT_EQ(postgresqlCount(urls["orders"], "SELECT COUNT(*) FROM micro_order_inbox"), n);
    EXPECT_TRUE(drainQueue(vhost.url(), "micro-order.dead-letter").empty());
    std::cout << "restart took "
              << std::chrono::duration_cast<std::chrono::milliseconds>(restartEnded - restartBegan).count() << " ms; "
              << posts.size() << " posts (" << during << " answered during it), " << unavailable << " answered 503; "
              << orders.size() << " orders ended; " << repeats << " messages delivered again with the same id\n";
}

}  // namespace
}  // namespace micro_order::testing
