// Running out of descriptors (EMFILE) pauses accepting; it never ends the accept loop. Labelled
// no_sanitizer (tests/http/CMakeLists.txt): with its descriptors capped, the host under ASan has
// none left for the sanitizer's own runtime, which then fails on its own account.
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

}  // namespace
}  // namespace micro_order::testing
