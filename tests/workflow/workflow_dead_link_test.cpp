// A broker link that dies silently (the peer vanished without FIN or RST): the host must notice
// it through heartbeats, and a SIGTERM must not wait on it past the grace period. A TCP relay
// the test freezes stands in for the blackholed network.

#include <Poco/URI.h>

#include <iostream>
#include <set>
#include <thread>

#include "tcp_proxy.hpp"
#include "workflow_fixture.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

/// yamlHeader's grace period (workflow_fixture.cpp).
constexpr auto kGrace = 5s;

std::string withHeartbeat(std::string yaml, int seconds) {
    const std::string key = "heartbeat_s: 30";
    yaml.replace(yaml.find(key), key.size(), "heartbeat_s: " + std::to_string(seconds));
    return yaml;
}

TEST_F(WorkflowTest, SigtermWithABlackholedBrokerLinkStopsWithinTheGraceAndTheOutboxKeepsWhatWasAccepted) {
    Poco::URI broker(amqpUrl());
    TcpProxy proxy(broker.getPort());
    broker.setPort(proxy.port());
    // Heartbeats every 30 s: the host still believes in the link when the stop comes.
    auto host = startHost(allInOneYaml(broker.toString()));
    const std::string folder = host->folder();
    const int customer = createCustomer("blackhole@sigterm.example");
    // The link dies once established: every relay connected (a connect still under way when the
    // link dies is bounded by the RPC timeout instead, not by the grace period).
    for (const std::string database : {"customers", "orders", "shippings"}) {
        ASSERT_TRUE(host->waitForLog("outbox " + database + ": connected to the broker")) << host->log();
    }

    proxy.freeze();
    std::set<int> accepted;
    for (int i = 0; i < 5; ++i) {
        accepted.insert(createOrder(customer));
    }
    std::this_thread::sleep_for(300ms);  // the relay publishes them into the void and waits
    const auto stopping = std::chrono::steady_clock::now();
    host->terminate();
    EXPECT_EQ(host->wait(90s), 0) << host->log();
    const auto took = std::chrono::steady_clock::now() - stopping;
    const auto tookMs = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
    std::cout << "stopped " << tookMs << " ms after SIGTERM\n";
    EXPECT_LT(took, kGrace + 5s) << "stopped after " << tookMs << " ms\n" << host->log();
    // Nothing was confirmed, so every accepted order's message is still in the outbox.
    EXPECT_EQ(outboxRows(folder, "orders"), static_cast<int>(accepted.size()));
    // The broker still holds the dead host's connections (and their consumers, which would take
    // deliveries into the void until its own heartbeat check, a minute away): end them now.
    proxy.cut();

    // The same files on a working link: the kept messages go out and every order finishes.
    hosts_.clear();
    auto restarted = startHost(allInOneYaml(), folder);
    hosts_.clear();  // the fixture's TearDown would outlive `restarted`
    const auto states = waitForFinalStates(60s);
    for (const int id : accepted) {
        ASSERT_EQ(states.count(id), 1u) << "order " << id;
        EXPECT_EQ(states.at(id), "SHIPPED") << "order " << id << "\n" << restarted->log();
    }
    EXPECT_EQ(outboxRowsOnceSettled(folder, "orders"), 0);
}

TEST_F(WorkflowTest, ABrokerLinkThatDiesSilentlyIsNoticedByHeartbeatsAndTheWorkflowResumesAfterIt) {
    Poco::URI broker(amqpUrl());
    TcpProxy proxy(broker.getPort());
    broker.setPort(proxy.port());
    auto host = startHost(withHeartbeat(allInOneYaml(broker.toString()), 1));
    const int customer = createCustomer("blackhole@heartbeat.example");

    proxy.freeze();
    // Two missed heartbeats (2 s), with room for a loaded machine.
    EXPECT_TRUE(host->waitForLog("lost the broker while consuming", 15s)) << "a consumer noticed";
    EXPECT_TRUE(host->waitForLog("outbox orders: broker unavailable", 15s)) << "the idle relay noticed";

    proxy.restore();
    const int order = createOrder(customer);
    const auto states = waitForFinalStates(60s);
    ASSERT_EQ(states.count(order), 1u);
    EXPECT_EQ(states.at(order), "SHIPPED");
}

}  // namespace
}  // namespace micro_order::testing
