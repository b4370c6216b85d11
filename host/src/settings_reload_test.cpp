// The settings catalog and SIGHUP: every setting it declares, changed in a YAML file, is either
// applied by a reload or named as needing a restart; and the README's reload table is the
// catalog's.

#include "settings_reload.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace micro_order::host {
namespace {

namespace fs = std::filesystem;

// Every section present, so that each setting has a place to change: two databases (a plugin
// can move to the other), a listener in its map form, broker TLS (amqps) with a client
// certificate (its files are read when the config loads).
constexpr const char* kBase = R"(log_level: information
broker:
  url: amqps://guest:guest@127.0.0.1:5671/
  tls:
    certificate: base-client.pem
    key: base-client.key
databases:
  main:
    path: main.db
  other:
    path: other.db
plugins:
  - name: first
    library: ./first.so
    database: main
    listen:
      address: 127.0.0.1:18000
      auth:
        tokens_file: tokens
      tls:
        certificate: cert.pem
        key: key.pem
    config:
      greeting: hello
  - name: second
    library: ./second.so
)";

/// Settings that need their neighbours changed too: writing the first sets (or, with an empty
/// value, removes) the others in the same map. A PostgreSQL database has a URL, not a path.
const std::map<std::string, std::vector<std::pair<std::string, std::string>>> kCompanions{
    {"broker.url_file", {{"url", ""}}},
    {"databases.*.connector", {{"path", ""}, {"url", "postgresql://app@127.0.0.1/main"}}},
    {"databases.*.url", {{"path", ""}, {"connector", "postgresql"}}},
    {"databases.*.url_file", {{"path", ""}, {"connector", "postgresql"}}},
};

class SettingsReloadTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (const char* url = std::getenv(kAmqpUrlVariable.data())) {
            savedUrl_ = url;
        }
        ::unsetenv(kAmqpUrlVariable.data());
        std::string pattern = (fs::temp_directory_path() / "settings_reload_test-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        for (const char* file : {"first.so", "second.so", "other.so"}) {
            write(file, "");
        }
        write("base-client.pem", "CERT\n");
        write("client.pem", "OTHER CERT\n");
        write("ca.pem", "CA\n");
        secret("base-client.key", "KEY\n");
        secret("client.key", "OTHER KEY\n");
        secret("broker.url", "amqps://file:secret@127.0.0.1:5671/\n");
        secret("database.url", "postgresql://file:secret@127.0.0.1/main\n");
    }

    void TearDown() override {
        if (savedUrl_) {
            ::setenv(kAmqpUrlVariable.data(), savedUrl_->c_str(), 1);
        }
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
    void secret(const std::string& name, const std::string& text) {
        write(name, text);
        ::chmod((dir_ / name).c_str(), 0600);
    }

    HostConfig load(const YAML::Node& root, const std::string& name) {
        std::ofstream(dir_ / name) << YAML::Dump(root) << "\n";
        return loadHostConfig((dir_ / name).string());
    }

    /// `root` with the setting at `path` (`*`: the first database, `[*]`: the first instance;
    /// last, a new one) set to `value`.
    static YAML::Node changed(const std::string& base, const std::string& path, const std::string& value) {
        YAML::Node root = YAML::Load(base);
        std::vector<std::string> parts;
        std::string part;
        for (const char c : path) {
            if (c == '.' || c == '[') {
                if (!part.empty()) {
                    parts.push_back(part);
                }
                part = c == '[' ? "[" : "";
            } else {
                part += c;
            }
        }
        parts.push_back(part);
        YAML::Node node = root;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const bool last = i + 1 == parts.size();
            const YAML::Node item = YAML::Load(value);
            if (parts[i] == "[*]") {
                if (last) {
                    node.push_back(item);
                    return root;
                }
                node.reset(node[std::size_t{0}]);
            } else if (parts[i] == "*") {
                if (last) {
                    node["third"] = item;
                    return root;
                }
                node.reset(node["main"]);
            } else if (last) {
                node[parts[i]] = item;
                if (const auto companions = kCompanions.find(path); companions != kCompanions.end()) {
                    for (const auto& [key, companion] : companions->second) {
                        if (companion.empty()) {
                            node.remove(key);
                        } else {
                            node[key] = companion;
                        }
                    }
                }
            } else {
                if (!node[parts[i]].IsMap() && !node[parts[i]].IsSequence()) {
                    node[parts[i]] = YAML::Node(YAML::NodeType::Map);
                }
                node.reset(node[parts[i]]);
            }
        }
        return root;
    }

    fs::path dir_;

private:
    std::optional<std::string> savedUrl_;
};

bool covers(const SettingChange& change, const SettingInfo& setting) {
    const std::string& name = setting.reportedAs.empty() ? setting.path : setting.reportedAs;
    return change.setting == name || change.setting.starts_with(name + ".");
}

TEST_F(SettingsReloadTest, TheBaseFileLoadsAndReloadingItChangesNothing) {
    write("base.yaml", kBase);
    const HostConfig running = loadHostConfig((dir_ / "base.yaml").string());
    const HostConfig again = loadHostConfig((dir_ / "base.yaml").string());
    EXPECT_TRUE(diffSettings(running, again).empty());
}

TEST_F(SettingsReloadTest, EverySettingChangedIsAppliedOrNamedAsNeedingARestart) {
    write("base.yaml", kBase);
    const HostConfig base = loadHostConfig((dir_ / "base.yaml").string());
    const auto catalog = settingsCatalog();
    ASSERT_GT(catalog.size(), 40u);
    int applied = 0;
    int restart = 0;
    for (const auto& setting : catalog) {
        SCOPED_TRACE(setting.path + " = " + setting.example);
        if (setting.example.empty()) {
            // No other valid value exists yet (one connector): the file cannot change it.
            EXPECT_THROW(load(changed(kBase, setting.path, "not-a-valid-value"), "changed.yaml"), ConfigError);
            continue;
        }
        HostConfig next;
        try {
            next = load(changed(kBase, setting.path, setting.example), "changed.yaml");
        } catch (const ConfigError& error) {
            ADD_FAILURE() << error.what();
            continue;
        }
        const auto changes = diffSettings(base, next);
        for (const auto& change : changes) {
            EXPECT_TRUE(std::any_of(catalog.begin(), catalog.end(),
                                    [&](const SettingInfo& known) { return known.path == change.setting; }))
                << "a change outside the catalog: " << describeChange(change);
        }
        const auto it = std::find_if(changes.begin(), changes.end(),
                                     [&](const SettingChange& change) { return covers(change, setting); });
        ASSERT_NE(it, changes.end()) << "neither applied nor reported";
        EXPECT_EQ(it->reload, setting.reload) << describeChange(*it);
        if (setting.reload == Reload::applied) {
            ++applied;
            HostConfig running = base;
            applySettings(running, next);
            EXPECT_TRUE(diffSettings(running, next).empty()) << "applied but the running config kept its value";
        } else {
            ++restart;
            EXPECT_NE(describeChange(*it).find(": restart to apply"), std::string::npos);
        }
    }
    EXPECT_EQ(applied, 2);  // log_level, shutdown_grace_ms
    EXPECT_GT(restart, 40);
}

TEST_F(SettingsReloadTest, ChangesAreNamedByTheirPathInTheFile) {
    write("base.yaml", kBase);
    const HostConfig base = loadHostConfig((dir_ / "base.yaml").string());
    auto changes = diffSettings(base, load(changed(kBase, "databases.*.inbox_retention_hours", "1"), "a.yaml"));
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(describeChange(changes[0]), "databases.main.inbox_retention_hours changed: restart to apply");
    changes = diffSettings(base, load(changed(kBase, "plugins[*].config", "{greeting: hi}"), "b.yaml"));
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(describeChange(changes[0]), "plugins[first].config changed: restart to apply");
    changes = diffSettings(base, load(changed(kBase, "log_level", "debug"), "c.yaml"));
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(describeChange(changes[0]), "log_level changed: applied");
    changes = diffSettings(base, load(changed(kBase, "plugins[*]", "{name: third, library: ./other.so}"), "d.yaml"));
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(describeChange(changes[0]), "plugins[third] added: restart to apply");
}

TEST_F(SettingsReloadTest, TheReadmeReloadTableIsTheCatalogs) {
    std::ifstream readme(std::string(MICRO_ORDER_SOURCE_DIR) + "/README.md");
    std::stringstream text;
    text << readme.rdbuf();
    const std::string begin = "<!-- reload-table: generated from the settings catalog -->\n";
    const std::string end = "<!-- /reload-table -->";
    const auto from = text.str().find(begin);
    const auto to = text.str().find(end);
    ASSERT_NE(from, std::string::npos);
    ASSERT_NE(to, std::string::npos);
    EXPECT_EQ(text.str().substr(from + begin.size(), to - from - begin.size()), reloadTable())
        << "update README.md between the markers with:\n"
        << reloadTable();
}

}  // namespace
}  // namespace micro_order::host
