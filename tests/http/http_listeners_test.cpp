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
