// Plugin config schemas through the real binary: an instance's `config:` is checked against what
// its plugin declares, at start and by --check-config, with the file, line and column and the
// key; the schema's defaults reach the plugin; a plugin without a schema is named.
#include <gtest/gtest.h>

#include <string>

#include "support/host_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kExitConfig = 78;

/// Line (1-based) of the first line of `yaml` that contains `text`.
int lineOf(const std::string& yaml, const std::string& text) {
    const auto at = yaml.find(text);
    EXPECT_NE(at, std::string::npos) << text;
    return 1 + static_cast<int>(std::count(yaml.begin(), yaml.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

/// A consumer with a misspelt key and a prefetch out of range, and an orders service with a key
/// where it takes none.
std::string misconfigured() {
    return yamlHeader() + "databases:\n" + yamlDatabase("orders") +
           "plugins:\n"
           "  - name: shippings_update\n"
           "    library: consumers\n"
           "    database: orders\n"
           "    config:\n"
           "      handler: shippings_update\n"
           "      prefech: 50\n"
           "  - name: orders\n"
           "    library: orders\n"
           "    database: orders\n"
           "    listen: 127.0.0.1:" +
           std::to_string(freePort()) +
           "\n"
           "    config:\n"
           "      page_size: 10\n"
           "  - name: shippings_update_2\n"
           "    library: consumers\n"
           "    database: orders\n"
           "    config: {handler: shippings_update, prefetch: 0}\n";
}

std::vector<std::string> expectedProblems(const std::string& file, const std::string& yaml) {
    return {
        file + ":" + std::to_string(lineOf(yaml, "prefech")) +
            ":7: plugins[0].config.prefech: unknown key (known: handler, prefetch)",
        file + ":" + std::to_string(lineOf(yaml, "page_size")) +
            ":7: plugins[1].config.page_size: unknown key (this plugin takes no config keys)",
        file + ":" + std::to_string(lineOf(yaml, "prefetch: 0")) +
            ":51: plugins[2].config.prefetch: must be between 1 and 65535, got 0",
    };
}

TEST(PluginConfig, CheckConfigReportsEveryKeyTheSchemasRefuseWithItsPosition) {
    TempDir folder;
    const std::string yaml = misconfigured();
    writeFile(folder.file("bad.yaml"), yaml);

    const RunResult result = HostProcess::runToCompletion({"--check-config", "--config", folder.file("bad.yaml")});

    EXPECT_EQ(result.exitCode, kExitConfig) << result.out << result.err;
    for (const auto& problem : expectedProblems(folder.file("bad.yaml"), yaml)) {
        EXPECT_NE(result.err.find(problem + "\n"), std::string::npos) << "expected: " << problem << "\nin:\n"
                                                                      << result.err;
    }
}

TEST(PluginConfig, StartRefusesTheSameConfigAsAConfigErrorBeforeAnyInstanceStarts) {
    const std::string yaml = misconfigured();
    HostProcess host(yaml);

    const int status = host.wait(10s);

    const std::string log = host.log();
    EXPECT_EQ(status, kExitConfig) << log;
    for (const auto& problem : expectedProblems(host.configFile(), yaml)) {
        EXPECT_NE(log.find(problem), std::string::npos) << "expected: " << problem << "\nin:\n" << log;
    }
    EXPECT_EQ(log.find("started "), std::string::npos) << log;
}

TEST(PluginConfig, TheSchemasDefaultsReachThePlugin) {
    HostProcess host(yamlHeader() + "databases:\n" + yamlDatabase("orders") +
                     "plugins:\n"
                     "  - name: shippings_update\n"
                     "    library: consumers\n"
                     "    database: orders\n"
                     "    config:\n"
                     "      handler: shippings_update\n");
    host.waitUntilReady();

    // The plugin reads prefetch with no fallback of its own: 5 is the schema's default.
    EXPECT_TRUE(host.waitForLog("shippings_update consumes shippings.update with prefetch 150")) << host.log();
}

TEST(PluginConfig, APluginWithoutASchemaIsNamedAndItsConfigGoesUnchecked) {
    TempDir folder;
    writeFile(folder.file("third-party.yaml"), yamlHeader() +
                                                   "plugins:\n"
                                                   "  - name: theirs\n"
                                                   "    library: test_no_schema\n"
                                                   "    config: {anything: 1}\n");

    const RunResult checked =
        HostProcess::runToCompletion({"--check-config", "--config", folder.file("third-party.yaml")});

    EXPECT_EQ(checked.exitCode, 0) << checked.err;
    EXPECT_NE(checked.out.find("plugin theirs: " + pluginDir() +
                               "/test_no_schema.so declares no config schema: its "
                               "config: is not checked"),
              std::string::npos)
        << checked.out;
    HostProcess host(readFile(folder.file("third-party.yaml")));
    host.waitUntilReady();
    EXPECT_TRUE(host.waitForLog("no_schema sees anything=1")) << host.log();
    EXPECT_NE(host.log().find("declares no config schema; its config: is not checked"), std::string::npos);
}

TEST(PluginConfig, TheShippedConfigsFitTheirPluginsSchemas) {
    for (const std::string name : {"micro-order", "orders", "shippings", "customers"}) {
        TempDir folder;
        std::string yaml = readFile(sourceDir() + "/etc/" + name + ".yaml");
        const auto at = yaml.find("plugin_path: ");
        ASSERT_NE(at, std::string::npos) << name;
        yaml.replace(at, yaml.find('\n', at) - at, "plugin_path: " + pluginDir());
        writeFile(folder.file(name + ".yaml"), yaml);

        const RunResult checked =
            HostProcess::runToCompletion({"--check-config", "--config", folder.file(name + ".yaml")});

        EXPECT_EQ(checked.exitCode, 0) << name << ":\n" << checked.err;
        EXPECT_EQ(checked.out.find("declares no config schema"), std::string::npos) << checked.out;
    }
}

}  // namespace
}  // namespace micro_order::testing
