// Trust (issue 14, point 1): the real host refuses plugins and configuration files that someone
// other than root or its own user could change, and --check-config loads only plugins that
// passed. Runs as root, as CI does (it creates a user and hands files to it).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/host_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"
#include "throwaway_user.hpp"

namespace micro_order::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kExitConfig = 78;

/// A folder of its own with `plugins/` holding a copy of the build's `library`.so, and a YAML
/// whose plugin_path is that folder.
class TrustTest : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directory(plugins_);
        ::chmod(plugins_.c_str(), 0755);
        ::setenv("MICRO_ORDER_TEST_LOAD_MARKER", marker_.c_str(), 1);
    }
    void TearDown() override { ::unsetenv("MICRO_ORDER_TEST_LOAD_MARKER"); }

    std::string copyPlugin(const std::string& library) {
        const fs::path copy = plugins_ / (library + ".so");
        fs::copy_file(pluginDir() + "/" + library + ".so", copy);
        ::chmod(copy.c_str(), 0644);
        return copy.string();
    }
    std::string yaml(const std::string& library) const {
        std::string header = yamlHeader();
        header = header.substr(header.find('\n') + 1);  // plugin_path: below instead
        return "plugin_path: " + plugins_.string() + "\n" + header + "plugins:\n  - name: it\n    library: " + library +
               "\n";
    }
    RunResult checkConfig(const std::string& library) {
        writeFile(folder_.file("host.yaml"), yaml(library));
        return HostProcess::runToCompletion({"--check-config", "--config", folder_.file("host.yaml")});
    }

    TempDir folder_;
    fs::path plugins_ = folder_.file("plugins");
    fs::path marker_ = folder_.file("loaded");
};

TEST_F(TrustTest, CheckConfigLoadsATrustedPluginAndSaysSo) {
    const std::string plugin = copyPlugin("test_load_marker");

    const RunResult result = checkConfig("test_load_marker");

    EXPECT_EQ(result.exitCode, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("loaded " + plugin + " (plugin test_load_marker) as root (uid 0)"), std::string::npos)
        << result.out;
    EXPECT_TRUE(fs::exists(marker_)) << "the plugin's constructor did not run: the test proves nothing";
}

TEST_F(TrustTest, AGroupWritablePluginFolderIsRefusedBeforeTheLibraryIsLoaded) {
    const std::string plugin = copyPlugin("test_load_marker");
    ::chmod(plugins_.c_str(), 0775);

    const RunResult result = checkConfig("test_load_marker");

    EXPECT_EQ(result.exitCode, kExitConfig) << result.out << result.err;
    EXPECT_NE(result.err.find("untrusted plugin " + plugin + ": folder " + plugins_.string() +
                              " is writable by its group (mode 0775)"),
              std::string::npos)
        << result.err;
    EXPECT_EQ(result.out.find("loaded"), std::string::npos) << result.out;
    EXPECT_FALSE(fs::exists(marker_)) << "--check-config ran the code of an untrusted plugin";
}

TEST_F(TrustTest, AGroupWritablePluginFolderStopsStartUpAsAConfigError) {
    const std::string plugin = copyPlugin("test_echo");
    ::chmod(plugins_.c_str(), 0775);

    HostProcess host(yaml("test_echo"), folder_.path());

    EXPECT_EQ(host.wait(10s), kExitConfig) << host.log();
    EXPECT_NE(host.log().find("untrusted plugin " + plugin + ": folder " + plugins_.string()), std::string::npos)
        << host.log();
    EXPECT_EQ(host.log().find("ready:"), std::string::npos) << host.log();
}

TEST_F(TrustTest, ASymlinkedPluginIsRefused) {
    fs::create_symlink(pluginDir() + "/test_load_marker.so", plugins_ / "test_load_marker.so");

    const RunResult result = checkConfig("test_load_marker");

    EXPECT_EQ(result.exitCode, kExitConfig) << result.out << result.err;
    EXPECT_NE(
        result.err.find("untrusted plugin " + (plugins_ / "test_load_marker.so").string() + ": it is a symbolic link"),
        std::string::npos)
        << result.err;
    EXPECT_FALSE(fs::exists(marker_));
}

TEST_F(TrustTest, AYamlFileOwnedByAnotherUserIsRefusedWithItsPath) {
    copyPlugin("test_echo");
    const ThrowawayUser stranger;
    writeFile(folder_.file("host.yaml"), yaml("test_echo"));
    stranger.own(folder_.file("host.yaml"));

    const std::string expected = "untrusted file " + folder_.file("host.yaml") + ": it is owned by " + stranger.name() +
                                 " (uid " + std::to_string(stranger.uid()) + "), not by root";

    const RunResult check = HostProcess::runToCompletion({"--check-config", "--config", folder_.file("host.yaml")});
    const RunResult start = HostProcess::runToCompletion({"--config", folder_.file("host.yaml")});

    EXPECT_EQ(check.exitCode, kExitConfig) << check.out << check.err;
    EXPECT_NE(check.err.find(expected), std::string::npos) << check.err;
    EXPECT_EQ(start.exitCode, kExitConfig) << start.out << start.err;
    EXPECT_NE(start.err.find(expected), std::string::npos) << start.err;
}

TEST_F(TrustTest, AConfDFragmentOwnedByAnotherUserStopsStartUp) {
    copyPlugin("test_echo");
    const ThrowawayUser stranger;
    fs::create_directory(folder_.file("conf.d"));
    ::chmod(folder_.file("conf.d").c_str(), 0755);
    writeFile(folder_.file("conf.d/extra.yaml"), "databases:\n  extra:\n    path: extra.sqlite3\n");
    stranger.own(folder_.file("conf.d/extra.yaml"));

    HostProcess host(yaml("test_echo"), folder_.path());

    EXPECT_EQ(host.wait(10s), kExitConfig) << host.log();
    EXPECT_NE(
        host.log().find("untrusted file " + folder_.file("conf.d/extra.yaml") + ": it is owned by " + stranger.name()),
        std::string::npos)
        << host.log();
}

TEST_F(TrustTest, ASecretReadableByOthersIsRefused) {
    copyPlugin("test_echo");
    writeFile(folder_.file("amqp-url"), amqpUrl() + "\n");
    ::chmod(folder_.file("amqp-url").c_str(), 0644);
    std::string text = yaml("test_echo");
    text.replace(text.find("  url: "), text.find('\n', text.find("  url: ")) - text.find("  url: "),
                 "  url_file: amqp-url");
    writeFile(folder_.file("host.yaml"), text);

    const RunResult result = HostProcess::runToCompletion({"--check-config", "--config", folder_.file("host.yaml")});

    EXPECT_EQ(result.exitCode, kExitConfig) << result.out << result.err;
    EXPECT_NE(result.err.find("untrusted file " + folder_.file("amqp-url") +
                              ": it holds a secret and is readable by others (mode 0644)"),
              std::string::npos)
        << result.err;
}

}  // namespace
}  // namespace micro_order::testing
