// Every listener of a process is a server of its own: its host routes, its own connection
// metrics, and the settings of the `http:` section that older config files still carry.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "http/probe_host_test.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

class HttpListeners : public ::testing::Test {
protected:
    void SetUp() override {
        portA_ = freePort();
        do {
            portB_ = freePort();
        } while (portB_ == portA_);
        host_ = std::make_unique<HostProcess>(yamlHeader() + "plugins:\n" + probeInstance("a", portA_) +
                                              probeInstance("b", portB_));
        host_->waitUntilReady();
    }

    void TearDown() override {
        if (HasFailure()) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end of host log ---\n";
        }
    }

    unsigned short portA_ = 0;
    unsigned short portB_ = 0;
    std::unique_ptr<HostProcess> host_;
};

TEST_F(HttpListeners, EveryListenerServesHealthzReadyzAndMetrics) {
    for (const unsigned short port : {portA_, portB_}) {
        for (const char* path : {"/healthz", "/readyz", "/metrics"}) {
            RawConnection connection(port);
            connection.send(getRequest(path));
            const auto response = connection.readResponse(5s);
            ASSERT_TRUE(response) << path << " on port " << port << ": no answer";
            EXPECT_EQ(response->status, 200) << path << " on port " << port << "\n" << response->head;
        }
    }
}

TEST_F(HttpListeners, ConnectionMetricsAreKeptPerListener) {
    std::vector<RawConnection> heldOnB;
    for (int i = 0; i < 5; ++i) {
        heldOnB.emplace_back(portB_);
        heldOnB.back().send(getRequest("/echo/"));
        ASSERT_TRUE(heldOnB.back().readResponse(5s)) << "no answer";
    }

    const std::string page = scrapeMetrics(portA_);

    const auto openA = metricValue(page, "micro_order_http_open_connections", {{"instance", "a"}});
    const auto openB = metricValue(page, "micro_order_http_open_connections", {{"instance", "b"}});
    ASSERT_TRUE(openA && openB) << "no open-connections gauge per listener:\n" << page.substr(0, 2000);
    EXPECT_GE(*openB, 5);
    EXPECT_LT(*openA, 5) << "b's connections were counted on a";
    for (const char* instance : {"a", "b"}) {
        EXPECT_TRUE(metricValue(page, "micro_order_http_worker_queue_depth", {{"instance", instance}}))
            << "no worker queue depth for " << instance;
        EXPECT_TRUE(metricValue(page, "micro_order_http_connections_refused_total", {{"instance", instance}}))
            << "no refused-connections counter for " << instance;
    }
}

/// Entries in /proc/`pid`/fd: the descriptors the process holds.
int openDescriptors(pid_t pid) {
    int count = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
        ++count;
    }
    return count;
}

TEST(HttpDescriptorExhaustion, ListenerAcceptsAgainOnceDescriptorsAreFreed) {
    const unsigned short port = freePort();
    HostProcess host(probeYaml(port));
    host.waitUntilReady();
    // Room for 10 more descriptors in the host, whatever it raised its own limit to.
    const rlim_t room = static_cast<rlim_t>(openDescriptors(host.pid()) + 10);
    const rlimit limit{room, room};
    ASSERT_EQ(::prlimit(host.pid(), RLIMIT_NOFILE, &limit, nullptr), 0) << std::strerror(errno);
    std::vector<RawConnection> flood;
    for (int i = 0; i < 40; ++i) {  // the kernel completes them all; the host can accept 10 at most
        flood.emplace_back(port);
        flood.back().trySend(getRequest("/echo/"));
    }
    std::this_thread::sleep_for(500ms);  // the host meets EMFILE on every accept in this time
    int served = 0;
    for (auto& connection : flood) {
        served += connection.readResponse(20ms).has_value() ? 1 : 0;
    }

    ASSERT_LT(served, 40) << "every connection was served: the limit was never reached";
    ASSERT_TRUE(host.running()) << host.log();
    flood.clear();
    std::this_thread::sleep_for(500ms);
    RawConnection fresh(port);
    fresh.send(getRequest("/healthz"));
    const auto response = fresh.readResponse(5s);

    ASSERT_TRUE(response) << "the listener stopped accepting after running out of descriptors\n" << host.log();
    EXPECT_EQ(response->status, 200);
}

TEST(HttpLegacySettings, MaxThreadsAndMaxQueuedAreAcceptedWithAWarningNamingTheirReplacements) {
    const unsigned short port = freePort();
    HostProcess host(probeYaml(port, "max_threads: 16\nmax_queued: 64\n"));

    host.waitUntilReady();

    const std::string log = host.log();
    const auto warningAbout = [&](const std::string& key, const std::string& replacement) {
        for (std::size_t at = log.find(key); at != std::string::npos; at = log.find(key, at + 1)) {
            const std::size_t begin = log.rfind('\n', at) + 1;
            const std::string line = log.substr(begin, log.find('\n', at) - begin);
            if (line.find("Warning") != std::string::npos && line.find(replacement) != std::string::npos) {
                return true;
            }
        }
        return false;
    };
    EXPECT_TRUE(warningAbout("max_threads", "worker_threads")) << log;
    EXPECT_TRUE(warningAbout("max_queued", "worker_queue")) << log;
    RawConnection connection(port);
    connection.send(getRequest("/healthz"));
    const auto response = connection.readResponse(5s);
    EXPECT_TRUE(response && response->status == 200) << "the host does not serve with the old settings";
}

}  // namespace
}  // namespace micro_order::testing
