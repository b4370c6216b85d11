// SIGTERM: the host stops taking work, finishes what is in flight and exits 0.
#include <Poco/Net/NetException.h>
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>

#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

std::string echoYaml(unsigned short port, int slowMs, int graceMs) {
    return yamlHeader("information", graceMs) +
           "plugins:\n"
           "  - name: echo\n"
           "    library: test_echo\n"
           "    listen: 127.0.0.1:" +
           std::to_string(port) + "\n    config:\n      slow_ms: " + std::to_string(slowMs) + "\n";
}

TEST(HostShutdown, RequestInFlightAtSigtermCompletesAndHostExitsZero) {
    const unsigned short port = freePort();
    HostProcess host(echoYaml(port, 1500, 10000));
    host.waitUntilReady();
    auto slow = std::async(std::launch::async, [port] { return httpRequest(port, "GET", "/slow/"); });
    std::this_thread::sleep_for(300ms);  // the request is in the handler's sleep

    host.terminate();

    const HttpResult result = slow.get();
    EXPECT_EQ(result.status, 200) << host.log();
    EXPECT_EQ(json(result.body)->getValue<int>("slept_ms"), 1500);
    EXPECT_EQ(host.wait(10s), 0) << host.log();
    EXPECT_NE(host.log().find("stopped"), std::string::npos) << host.log();
}

TEST(HostShutdown, RequestLongerThanTheGracePeriodIsCutAndHostStillExits) {
    const unsigned short port = freePort();
    HostProcess host(echoYaml(port, 3000, 300));
    host.waitUntilReady();
    auto slow = std::async(std::launch::async, [port] {
        try {
            return httpRequest(port, "GET", "/slow/").status;
        } catch (const Poco::Exception&) {
            return 0;  // the connection was cut
        }
    });
    std::this_thread::sleep_for(300ms);
    const auto began = std::chrono::steady_clock::now();

    host.terminate();

    // The handler's thread cannot be interrupted; the process exits once it returns at the latest.
    EXPECT_EQ(host.wait(10s), 0) << host.log();
    EXPECT_NE(host.log().find("cut"), std::string::npos) << host.log();
    EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
    slow.wait();
}

TEST(HostShutdown, NewConnectionsAreRefusedAfterExit) {
    const unsigned short port = freePort();
    HostProcess host(echoYaml(port, 10, 1000));
    host.waitUntilReady();
    ASSERT_EQ(httpRequest(port, "GET", "/things/1/").status, 200);

    host.terminate();
    ASSERT_EQ(host.wait(10s), 0) << host.log();

    EXPECT_THROW(httpRequest(port, "GET", "/things/1/"), Poco::Net::NetException);
}

TEST(HostShutdown, SigtermRightAfterReadyStillStopsGracefully) {
    const unsigned short port = freePort();
    HostProcess host(echoYaml(port, 10, 1000));
    host.waitUntilReady();

    host.terminate();

    EXPECT_EQ(host.wait(10s), 0) << host.log();
    EXPECT_NE(host.log().find("stopped"), std::string::npos) << host.log();
}

}  // namespace
}  // namespace micro_order::testing
