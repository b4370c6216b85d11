// Secrets (issue 14, point 3): the broker URL from a file, and its password in no message of
// the real host: config errors, --check-config, start-up and the broker's login refusal.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "support/host_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kExitConfig = 78;
constexpr const char* kPassword = "s3cr";  // part of every password below, never in the output

/// The test's YAML header with `broker:` replaced by `broker` (indented lines included).
std::string yamlWithBroker(const std::string& broker, const std::string& logLevel = "information") {
    std::string header = yamlHeader(logLevel);
    header = header.substr(0, header.find("broker:\n"));
    return header + broker;
}

std::string secretFile(const TempDir& folder, const std::string& name, const std::string& url) {
    const std::string path = folder.file(name);
    writeFile(path, url + "\n");
    ::chmod(path.c_str(), 0600);
    return path;
}

std::string vhostUrl(const std::string& credentials) {
    return "amqp://" + credentials + "@127.0.0.1:5672/" + amqpUrl().substr(amqpUrl().rfind('/') + 1);
}

TEST(Secrets, CheckConfigShowsABrokenUrlWithoutItsPassword) {
    TempDir folder;
    writeFile(folder.file("host.yaml"), yamlWithBroker("broker:\n  url: amqp://app:s3cr/et@127.0.0.1:5672/\n") +
                                            "plugins:\n  - name: echo\n    library: test_echo\n");

    const RunResult result = HostProcess::runToCompletion({"--check-config", "--config", folder.file("host.yaml")});

    EXPECT_EQ(result.exitCode, kExitConfig) << result.out << result.err;
    EXPECT_NE(result.err.find("'amqp://***@127.0.0.1:5672/' is not a valid broker URL"), std::string::npos)
        << result.err;
    EXPECT_EQ((result.out + result.err).find(kPassword), std::string::npos) << result.out << result.err;
}

TEST(Secrets, StartUpRefusesABrokenUrlFromAFileWithoutShowingItsPassword) {
    TempDir folder;
    const std::string secret = secretFile(folder, "amqp-url", "amqp://app:s3cr@et@127.0.0.1/");
    HostProcess host(
        yamlWithBroker("broker:\n  url_file: " + secret + "\n") + "plugins:\n  - name: echo\n    library: test_echo\n",
        folder.path());

    EXPECT_EQ(host.wait(10s), kExitConfig) << host.log();
    EXPECT_NE(host.log().find("(from " + secret + ") is not a valid broker URL"), std::string::npos) << host.log();
    EXPECT_EQ(host.log().find(kPassword), std::string::npos) << host.log();
}

TEST(Secrets, CheckConfigNamesTheUrlFileAndShowsTheUrlWithoutItsPassword) {
    TempDir folder;
    const std::string secret = secretFile(folder, "amqp-url", vhostUrl("guest:s3cret"));
    writeFile(folder.file("host.yaml"),
              yamlWithBroker("broker:\n  url_file: amqp-url\n") + "plugins:\n  - name: echo\n    library: test_echo\n");

    const RunResult result = HostProcess::runToCompletion({"--check-config", "--config", folder.file("host.yaml")});

    EXPECT_EQ(result.exitCode, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("broker amqp://***@127.0.0.1:5672/"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("(from " + secret + ")"), std::string::npos) << result.out;
    EXPECT_EQ((result.out + result.err).find(kPassword), std::string::npos) << result.out << result.err;
}

TEST(Secrets, ARefusedLoginIsLoggedWithoutThePassword) {
    TempDir folder;
    const std::string secret = secretFile(folder, "amqp-url", vhostUrl("guest:s3cret-but-wrong"));
    const std::string queue = uniqueName("secrets");
    HostProcess host(
        yamlWithBroker("broker:\n  url_file: amqp-url\n  reconnect: {initial_delay_ms: 50, "
                       "max_delay_ms: 200}\n",
                       "debug") +
            "databases:\n" + yamlDatabase("things") +
            "plugins:\n  - name: echo\n    library: test_echo\n    listen: 127.0.0.1:" + std::to_string(freePort()) +
            "\n    database: things\n    config:\n"
            "      consume_queue: " +
            queue + "\n      consume_exchange: " + queue + "\n      consume_routing_key: k\n",
        folder.path());

    ASSERT_TRUE(host.waitForLog("cannot log in to broker at 127.0.0.1:5672/", 15s)) << host.log();
    host.terminate();
    host.wait();
    EXPECT_EQ(host.log().find(kPassword), std::string::npos) << host.log();
}

}  // namespace
}  // namespace micro_order::testing
