// A plugin that throws something not derived from std::exception (here an int) from each place
// the host calls it: the host stays up (or refuses to start), answers as for any failure and
// names the plugin instance in the log, once.
#include <gtest/gtest.h>

#include <string>

#include "broker_topology.hpp"
#include "support/broker_client.hpp"
#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++count;
    }
    return count;
}

std::string throwingInstance(const std::string& where, const std::string& extra = "") {
    return "  - name: thrower\n    library: test_throwing_int\n" + extra + "    config:\n      throw_in: " + where +
           "\n";
}

TEST(HostBoundaries, HandlerThrowingAnIntIs500LoggedOnceWithTheInstanceAndTheHostServesOn) {
    const unsigned short port = freePort();
    HostProcess host(yamlHeader() + "plugins:\n" +
                     throwingInstance("http", "    listen: 127.0.0.1:" + std::to_string(port) + "\n"));
    host.waitUntilReady();

    const HttpResult failed = httpRequest(port, "GET", "/int/");

    EXPECT_EQ(failed.status, 500);
    EXPECT_EQ(json(failed.body)->getValue<std::string>("detail"), "Internal server error.");
    ASSERT_TRUE(host.waitForLog("not a std::exception", 2s)) << host.log();
    EXPECT_EQ(occurrences(host.log(), "not a std::exception"), 1u) << host.log();
    EXPECT_NE(host.log().find("plugin instance 'thrower': GET /int/ failed"), std::string::npos) << host.log();
    EXPECT_EQ(httpRequest(port, "GET", "/fine/").status, 200);
    EXPECT_TRUE(host.running());
}

TEST(HostBoundaries, StartThrowingAnIntRefusesToStartNamingTheInstance) {
    HostProcess host(yamlHeader() + "plugins:\n" + throwingInstance("start"));

    const int status = host.wait(10s);

    EXPECT_EQ(status, 70) << host.log();  // EX_SOFTWARE: start-up failed, no crash
    EXPECT_NE(host.log().find("plugin instance 'thrower'"), std::string::npos) << host.log();
    EXPECT_NE(host.log().find("failed to start: it threw something that is not a std::exception"), std::string::npos)
        << host.log();
}

TEST(HostBoundaries, StopThrowingAnIntIsLoggedWithTheInstanceAndTheHostStopsCleanly) {
    HostProcess host(yamlHeader() + "plugins:\n" + throwingInstance("stop"));
    host.waitUntilReady();

    host.terminate();

    EXPECT_EQ(host.wait(), 0) << host.log();
    EXPECT_EQ(occurrences(host.log(),
                          "plugin instance 'thrower' failed to stop cleanly: it threw something that is "
                          "not a std::exception"),
              1u)
        << host.log();
    EXPECT_NE(host.log().find("stopped"), std::string::npos) << host.log();
}

TEST(HostBoundaries, ConsumerThrowingAnIntIsRetriedThenDeadLetteredAndTheHostConsumesOn) {
    const std::string queue = uniqueName("test.int.queue");
    const std::string exchange = uniqueName("test.int.exchange");
    HostProcess host(yamlHeader() + "databases:\n" + yamlDatabase("ints") + "plugins:\n" +
                     throwingInstance("consume", "    database: ints\n") + "      consume_queue: " + queue +
                     "\n      consume_exchange: " + exchange + "\n");
    host.waitUntilReady();
    ASSERT_TRUE(host.waitForLog("consuming " + queue)) << host.log();
    BrokerClient broker;
    host::AmqpMessageProperties first;
    first.messageId = uniqueName("int-1");
    host::AmqpMessageProperties second;
    second.messageId = uniqueName("int-2");

    broker.publish(exchange, "int", "one", first);
    broker.publish(exchange, "int", "two", second);

    for (const auto& id : {first.messageId, second.messageId}) {
        const auto letter = broker.getMatching(
            host::kDeadLetterQueue, [&](const host::AmqpDelivery& d) { return d.properties.messageId == id; }, 20s);
        ASSERT_TRUE(letter.has_value()) << host.log();
        EXPECT_NE(letter->properties.headers.at("x-death-reason")
                      .find("handler failed 5 times: plugin instance 'thrower': the message handler threw something "
                            "that is not a std::exception"),
                  std::string::npos)
            << letter->properties.headers.at("x-death-reason");
    }
    EXPECT_TRUE(host.running());
    EXPECT_EQ(broker.messageCount(queue), 0u);
}

}  // namespace
}  // namespace micro_order::testing
