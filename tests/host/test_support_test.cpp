// The shared test-support library behaves as the other tests rely on.
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

TEST(TestSupport, MissingEnvironmentVariableThrowsInsteadOfSkipping) {
    const std::string saved = hostBinary();
    ::unsetenv("MICRO_ORDER_HOST_BINARY");

    EXPECT_THROW(hostBinary(), std::runtime_error);

    ::setenv("MICRO_ORDER_HOST_BINARY", saved.c_str(), 1);
}

TEST(TestSupport, TempDirIsRemovedWithItsContents) {
    std::string path;
    {
        TempDir folder;
        path = folder.path();
        std::filesystem::create_directories(folder.file("a/b"));
        writeFile(folder.file("a/b/c.txt"), "x");
        EXPECT_EQ(readFile(folder.file("a/b/c.txt")), "x");
    }
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TestSupport, FreePortCanBeBound) {
    const unsigned short port = freePort();
    Poco::Net::ServerSocket socket;
    EXPECT_NO_THROW(socket.bind(Poco::Net::SocketAddress("127.0.0.1", port), false));
}

TEST(TestSupport, FreePortIsBelowTheEphemeralRange) {
    // An ephemeral port may be taken by any outgoing connection before the test's server binds it.
    int low = 0;
    std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low;
    ASSERT_GT(low, 1024);
    for (int i = 0; i < 20; ++i) {
        const unsigned short port = freePort();
        EXPECT_LT(port, low);
        EXPECT_GE(port, 1024);
    }
}

TEST(TestSupport, UniqueNamesDiffer) { EXPECT_NE(uniqueName("q"), uniqueName("q")); }

TEST(TestSupport, RunToCompletionCapturesOutputAndExitCode) {
    const RunResult result = HostProcess::runToCompletion({"--config", "/nonexistent/micro-order.yaml"});

    EXPECT_EQ(result.exitCode, 78);
    EXPECT_NE(result.err.find("/nonexistent/micro-order.yaml"), std::string::npos) << result.err;
    EXPECT_EQ(result.out, "");
}

TEST(TestSupport, HostProcessReportsTheExitStatus) {
    HostProcess host("not: [valid");

    EXPECT_EQ(host.wait(), 78);
    EXPECT_FALSE(host.running());
    EXPECT_THROW(host.waitUntilReady(std::chrono::milliseconds(100)), std::runtime_error);
}

/// Gone or a zombie: whoever adopted it reaps it in its own time.
bool processIsGone(pid_t pid) {
    const std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
    const auto end = stat.rfind(')');
    return end == std::string::npos || stat.compare(end, 3, ") Z") == 0;
}

TEST(TestSupport, HostDiesWithTheTestProcessThatStartedIt) {
    const unsigned short port = freePort();
    TempDir folder;  // the parent's, so that it is cleaned up
    int channel[2];
    ASSERT_EQ(::pipe(channel), 0);
    const pid_t test = ::fork();  // stands for a test that crashes while its host runs
    ASSERT_GE(test, 0);
    if (test == 0) {
        // Leaked on purpose: no destructor runs, as in a crash.
        auto* host = new HostProcess(yamlHeader() +
                                         "plugins:\n  - name: echo\n    library: test_echo\n"
                                         "    listen: 127.0.0.1:" +
                                         std::to_string(port) + "\n",
                                     folder.path());
        host->waitUntilReady();
        const pid_t pid = host->pid();
        [[maybe_unused]] auto written = ::write(channel[1], &pid, sizeof pid);
        ::_exit(0);
    }
    ::close(channel[1]);
    pid_t host = 0;
    ASSERT_EQ(::read(channel[0], &host, sizeof host), static_cast<ssize_t>(sizeof host));
    ::close(channel[0]);
    int status = 0;
    ::waitpid(test, &status, 0);

    // The orphan was re-parented, so it cannot be waited for here: watch it disappear instead.
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {
        gone = processIsGone(host);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(gone) << "host " << host << " outlived the test that started it";
    EXPECT_THROW(httpRequest(port, "GET", "/things/1/"), Poco::Exception);
}

}  // namespace
}  // namespace micro_order::testing
