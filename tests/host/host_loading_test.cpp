// Start-up of the real host: loading plugins, refusing bad ones precisely, --check-config.
#include <Poco/Net/NetException.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <micro_order/plugin.hpp>
#include <string>

#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kExitConfig = 78;

std::string library(const std::string& name) { return pluginDir() + "/" + name + ".so"; }

std::string echoInstance(const std::string& name, unsigned short port) {
    return "  - name: " + name + "\n    library: test_echo\n    listen: 127.0.0.1:" + std::to_string(port) + "\n";
}

/// Line (1-based) of the first line of `yaml` that contains `text`.
int lineOf(const std::string& yaml, const std::string& text) {
    int line = 1;
    for (std::size_t i = 0; i < yaml.find(text); ++i) {
        line += yaml[i] == '\n';
    }
    return line;
}

bool accepts(unsigned short port) {
    try {
        httpRequest(port, "GET", "/things/1/");
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

TEST(HostLoading, EchoPluginLoadsAndServesARouteOnLoopback) {
    const unsigned short port = freePort();
    HostProcess host(yamlHeader() + "plugins:\n" + echoInstance("echo", port));
    host.waitUntilReady();

    const HttpResult result = httpRequest(port, "GET", "/things/7/");

    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(json(result.body)->getValue<std::string>("id"), "7");
    EXPECT_NE(host.log().find("started echo (test_echo)"), std::string::npos) << host.log();
}

TEST(HostLoading, WrongAbiLibraryIsRefusedNamingPathAndBothVersions) {
    const unsigned short port = freePort();
    HostProcess host(yamlHeader() + "plugins:\n" + echoInstance("echo", port) +
                     "  - name: future\n    library: test_wrong_abi\n");

    const int status = host.wait(10s);

    const std::string log = host.log();
    EXPECT_NE(status, 0) << log;
    EXPECT_NE(log.find(library("test_wrong_abi")), std::string::npos) << log;
    EXPECT_NE(log.find("version 999"), std::string::npos) << log;
    EXPECT_NE(log.find("wants version " + std::to_string(kAbiVersion)), std::string::npos) << log;
    EXPECT_EQ(log.find("ready:"), std::string::npos) << log;
}

TEST(HostLoading, LibraryWithoutExportsIsRefusedAsNotAPlugin) {
    HostProcess host(yamlHeader() + "plugins:\n  - name: stranger\n    library: test_no_export\n");

    const int status = host.wait(10s);

    const std::string log = host.log();
    EXPECT_NE(status, 0) << log;
    EXPECT_NE(log.find(library("test_no_export")), std::string::npos) << log;
    EXPECT_NE(log.find("not a micro-order plugin"), std::string::npos) << log;
}

TEST(HostLoading, MissingLibraryIsAConfigErrorNamingFileLineAndKey) {
    const std::string yaml = yamlHeader() + "plugins:\n  - name: ghost\n    library: test_does_not_exist\n";
    HostProcess host(yaml);

    const int status = host.wait(10s);

    const std::string log = host.log();
    EXPECT_EQ(status, kExitConfig) << log;
    const std::string where = host.configFile() + ":" + std::to_string(lineOf(yaml, "library: test_does_not_exist"));
    EXPECT_NE(log.find(where), std::string::npos) << "expected " << where << " in:\n" << log;
    EXPECT_NE(log.find(": plugins[0].library: "), std::string::npos) << log;
    EXPECT_NE(log.find("test_does_not_exist.so not found"), std::string::npos) << log;
}

TEST(HostLoading, ThrowingStartExitsNonZeroNamingInstanceAndReason) {
    const unsigned short port = freePort();
    HostProcess host(yamlHeader() + "plugins:\n" + echoInstance("echo", port) +
                     "  - name: grumpy\n    library: test_throwing_start\n"
                     "    config:\n      reason: the moon is in the wrong phase\n");

    const int status = host.wait(10s);

    const std::string log = host.log();
    EXPECT_NE(status, 0) << log;
    EXPECT_NE(log.find("'grumpy'"), std::string::npos) << log;
    EXPECT_NE(log.find("the moon is in the wrong phase"), std::string::npos) << log;
    // Nothing half-started: the earlier instance's listener never let traffic in.
    EXPECT_EQ(log.find("listening on"), std::string::npos) << log;
    EXPECT_EQ(log.find("ready:"), std::string::npos) << log;
    EXPECT_FALSE(accepts(port));
}

TEST(HostLoading, CheckConfigOnAGoodFileExitsZeroAndListsThePlugins) {
    TempDir folder;
    const unsigned short port = freePort();
    writeFile(folder.file("good.yaml"),
              yamlHeader() + "databases:\n" + yamlDatabase("things") + "plugins:\n" + echoInstance("echo", port) +
                  "  - name: rows\n    library: test_echo\n    listen: 127.0.0.1:" + std::to_string(freePort()) +
                  "\n    database: things\n");

    const RunResult result = HostProcess::runToCompletion({"--check-config", "--config", folder.file("good.yaml")});

    EXPECT_EQ(result.exitCode, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("plugin echo: " + library("test_echo")), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("plugin rows: " + library("test_echo")), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("database things"), std::string::npos) << result.out;
    // Checking creates nothing.
    EXPECT_FALSE(std::filesystem::exists(folder.file("things.sqlite3")));
}

TEST(HostLoading, CheckConfigOnABadFileExitsNonZeroListingEveryError) {
    TempDir folder;
    writeFile(folder.file("bad.yaml"), yamlHeader() +
                                           "plugins:\n"
                                           "  - name: ghost\n    library: test_does_not_exist\n"
                                           "  - name: portless\n    library: test_echo\n    listen: 127.0.0.1:99999\n"
                                           "  - name: typo\n    library: test_echo\n    lisen: 127.0.0.1:1\n");

    const RunResult result = HostProcess::runToCompletion({"--check-config", "--config", folder.file("bad.yaml")});

    EXPECT_EQ(result.exitCode, kExitConfig) << result.out << result.err;
    EXPECT_NE(result.err.find("test_does_not_exist.so not found"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("port must be between 1 and 65535"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("lisen"), std::string::npos) << result.err;
}

TEST(HostLoading, CheckConfigLoadsEveryLibraryAndReportsEachBadOne) {
    TempDir folder;
    writeFile(folder.file("abi.yaml"), yamlHeader() +
                                           "plugins:\n"
                                           "  - name: future\n    library: test_wrong_abi\n"
                                           "  - name: stranger\n    library: test_no_export\n");

    const RunResult result = HostProcess::runToCompletion({"--check-config", "--config", folder.file("abi.yaml")});

    EXPECT_EQ(result.exitCode, kExitConfig) << result.out << result.err;
    EXPECT_NE(result.err.find("plugin 'future'"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("version 999"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("plugin 'stranger'"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("not a micro-order plugin"), std::string::npos) << result.err;
}

TEST(HostLoading, VersionPrintsTheVersionAndPluginAbi) {
    const RunResult result = HostProcess::runToCompletion({"--version"});

    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("micro-order-host "), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("plugin ABI " + std::to_string(kAbiVersion) + ")"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace micro_order::testing
