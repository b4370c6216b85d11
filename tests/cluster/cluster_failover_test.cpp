// Two hosts per service on one PostgreSQL database per service, nginx in front of each service,
// and `kill -9` of one host of each service while orders stream in (issue 13).

#include <iostream>

#include "cluster_fixture.hpp"
#include "nginx_upstream.hpp"
#include "support/postgresql_test_database.hpp"
#include "support/test_environment.hpp"
#include "support/test_vhost.hpp"

using namespace std::chrono_literals;

namespace micro_order::testing {
namespace {

constexpr const char* kTookLease = "took the relay lease";
constexpr int kOrders = 240;

class ClusterFailoverTest : public ClusterTest {};

TEST_F(ClusterFailoverTest, KillingOneHostOfEachServiceLosesNothingAndDoesNothingTwice) {
    const TestVhost& vhost = own<TestVhost>("cluster-failover");
    std::map<std::string, PostgresqlTestDatabase*> databases;
    std::map<std::string, std::vector<unsigned short>> ports;
    for (const std::string& service : kServices) {
        databases[service] = &own<PostgresqlTestDatabase>();
        ports[service] = {freePort(), freePort()};
    }
    // The first host of each service starts alone, so it takes its database's relay lease; the
    // second stands by. The holders are the ones killed: the take-over is what is measured.
    std::map<std::string, HostProcess*> holders;
    std::map<std::string, HostProcess*> standbys;
    for (const std::string& service : kServices) {
        holders[service] = &startHost(serviceYaml(service, ports[service][0], vhost.url(), databases[service]->url()));
        ASSERT_TRUE(holders[service]->waitForLog(kTookLease)) << holders[service]->log();
    }
    for (const std::string& service : kServices) {
        standbys[service] = &startHost(serviceYaml(service, ports[service][1], vhost.url(), databases[service]->url()));
        ASSERT_TRUE(standbys[service]->waitForLog("stands by")) << standbys[service]->log();
    }
    std::map<std::string, NginxUpstream*> nginx;
    for (const std::string& service : kServices) {
        nginx[service] = &own<NginxUpstream>(ports[service]);
    }
    declareTaps(vhost.url());
    const int customer = createCustomer(nginx["customers"]->port());

    // One client through the orders nginx: its round robin sends the posts to both orders hosts.
    OrderPoster poster(nginx["orders"]->port(), customer, kOrders, 5ms);
    ASSERT_TRUE(poster.waitForCreated(kOrders / 3)) << nginx["orders"]->errorLog();
    const auto killedAt = std::chrono::steady_clock::now();
    for (const std::string& service : kServices) {
        holders[service]->kill();
    }
    // Take-over: from the kill to the standby's log line (polled every 5 ms, all three at once).
    std::map<std::string, double> takeOverMs;
    while (takeOverMs.size() < kServices.size() && std::chrono::steady_clock::now() - killedAt < 10s) {
        for (const std::string& service : kServices) {
            if (!takeOverMs.count(service) && standbys[service]->log().find(kTookLease) != std::string::npos) {
                takeOverMs[service] =
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - killedAt).count();
            }
        }
        std::this_thread::sleep_for(5ms);
    }
    for (const std::string& service : kServices) {
        EXPECT_EQ(holders[service]->wait(), 128 + 9);
        ASSERT_TRUE(takeOverMs.count(service)) << service << ": no standby took the relay lease within 10 s";
        std::cout << "relay take-over, " << service << ": " << takeOverMs[service] << " ms after kill -9\n";
    }
    const std::vector<PostResult> posts = poster.finish(60s);
    ASSERT_EQ(posts.size(), static_cast<std::size_t>(kOrders));
    // nginx spread the posts over both orders hosts (the survivor also after the kill).
    for (const unsigned short port : ports["orders"]) {
        EXPECT_GT(nginx["orders"]->servedBy(port), kOrders / 10) << "orders host on port " << port;
    }

    // Only a request the killed orders host was serving can fail (nginx answers 502; a refused
    // connect goes to the other host): at most the one the client had in flight.
    int failed = 0;
    for (const PostResult& post : posts) {
        if (post.status != 201) {
            ++failed;
            EXPECT_EQ(post.status, 502);
        }
    }
    EXPECT_LE(failed, 1);

    const std::map<int, Order> orders = waitForFinalStates(nginx["orders"]->port(), 60s);
    for (const PostResult& post : posts) {
        if (post.status == 201) {
            EXPECT_TRUE(orders.count(post.id)) << "order " << post.id << " was answered 201 and is gone";
        }
    }
    EXPECT_GE(orders.size(), posts.size() - static_cast<std::size_t>(failed));
    EXPECT_LE(orders.size(), posts.size());
    for (const std::string& service : kServices) {
        EXPECT_EQ(outboxRowsOnceSettled(databases[service]->url()), 0) << service;
    }
    std::map<std::string, std::vector<host::AmqpDelivery>> taps;
    for (const std::string& key : kRoutingKeys) {
        taps[key] = drainQueue(vhost.url(), "tap." + key);
    }
    const int repeats = expectEachEffectOnce(orders, customer, taps);
    // Each distinct message was handled once: one inbox row each (a redelivery is recognised).
    const auto n = static_cast<std::int64_t>(orders.size());
    EXPECT_EQ(postgresqlCount(databases["shippings"]->url(), "SELECT COUNT(*) FROM micro_order_inbox"), 2 * n);
    EXPECT_EQ(postgresqlCount(databases["customers"]->url(), "SELECT COUNT(*) FROM micro_order_inbox"), n);
    EXPECT_EQ(postgresqlCount(databases["orders"]->url(), "SELECT COUNT(*) FROM micro_order_inbox"), n);
    EXPECT_TRUE(drainQueue(vhost.url(), "micro-order.dead-letter").empty());
    std::cout << orders.size() << " orders, " << failed << " answered 502, " << repeats
              << " messages delivered again with the same id (at-least-once)\n";
}

}  // namespace
}  // namespace micro_order::testing
