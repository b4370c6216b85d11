// The YAML file's top level, conf.d fragments, and the whole file's loading and trust checks.

#include <Poco/Logger.h>
#include <pwd.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "config_sections.hpp"
#include "config_trust.hpp"
#include "file_trust.hpp"

namespace micro_order::host {

namespace {

namespace fs = std::filesystem;

// Poco::Logger's level names, so `log_level` can go straight to Logger::parseLevel.
constexpr std::array<std::string_view, 8> kLogLevels{"fatal",  "critical",    "error", "warning",
                                                     "notice", "information", "debug", "trace"};

/// `user:` must name an account this process can run as: itself, or any when started as root.
void readUser(Reader& reader, const Field& field, HostConfig& config) {
    config.user.reset();
    const auto name = reader.readString(field);
    if (!name) {
        return;
    }
    const auto user = lookUpUser(*name);
    if (!user) {
        reader.problem(field, "no such user '" + *name + "'");
        return;
    }
    const uid_t self = ::geteuid();
    if (self != 0 && self != user->uid) {
        reader.problem(field, "the host runs as " + userName(self) + " and cannot become " + *name +
                                  ": start it as root (it then switches to " + *name + ") or as " + *name);
    }
    config.user = *user;
}

Key<HostConfig> userKey() {
    using H = HostConfig;
    Key<H> key = custom<H>("user", "account name", "", readUser, [](const H& a, const H& b) {
        return a.user.has_value() == b.user.has_value() && (!a.user || a.user->uid == b.user->uid);
    });
    // The one account every test can name: the one running it.
    key.list = [](const SettingPath& where, std::vector<SettingInfo>& out) {
        const passwd* self = ::getpwuid(::geteuid());
        out.push_back({where.setting, "account name", "", Reload::restart, self ? self->pw_name : ""});
    };
    return key;
}

/// A conf.d fragment may only add databases and plugins.
const Section<HostConfig>& fragmentSettings() {
    static const Section<HostConfig> section{{databasesKey(), pluginsKey()}};
    return section;
}

/// conf.d/*.yaml beside the main file, in name order: each may add `databases:` and `plugins:`,
/// so a package or an operator adds an instance without editing the main file. Relative paths
/// in a fragment are relative to the main file's folder, like everything else.
/// `<name>.d/` beside `<name>.yaml` works the same for that file alone: per-service configs
/// sharing one folder each get their own fragments.
void readFragments(HostConfig& config, std::vector<std::string>& problems) {
    const fs::path main(config.file);
    std::vector<fs::path> fragments;
    for (const fs::path& folder : {main.parent_path() / "conf.d", main.parent_path() / (main.stem().string() + ".d")}) {
        std::error_code error;
        if (!fs::is_directory(folder, error)) {
            continue;
        }
        std::vector<fs::path> inFolder;
        for (const auto& entry : fs::directory_iterator(folder, error)) {
            if (entry.is_regular_file() &&
                (entry.path().extension() == ".yaml" || entry.path().extension() == ".yml")) {
                inFolder.push_back(entry.path());
            }
        }
        std::sort(inFolder.begin(), inFolder.end());
        fragments.insert(fragments.end(), inFolder.begin(), inFolder.end());
    }
    for (const auto& fragment : fragments) {
        Reader reader(fragment.string(), fs::path(config.file).parent_path(), config, true);
        config.sources.push_back({fs::absolute(fragment).lexically_normal().string()});
        YAML::Node root;
        try {
            root = YAML::LoadFile(fragment.string());
        } catch (const YAML::Exception& e) {
            reader.problem(e.mark, "yaml", e.msg);
        }
        if (root.IsDefined() && !root.IsNull() && !root.IsMap()) {
            reader.problem(root.Mark(), "(top level)", "expected a map with databases: and/or plugins:");
        } else if (root.IsMap()) {
            readSection(reader, Field{root, "", root.Mark()}, fragmentSettings(), config);
        }
        for (auto& problem : reader.takeProblems()) {
            problems.push_back(std::move(problem));
        }
    }
}

}  // namespace

const Section<HostConfig>& hostSettings() {
    using H = HostConfig;
    static const Section<H> section{
        {
            custom<H>(
                "plugin_path", "folder or list of folders", "[other-plugins]",
                [](Reader& reader, const Field& field, H& config) {
                    readPluginPaths(reader, field, config.pluginPaths);
                },
                [](const H& a, const H& b) { return a.pluginPaths == b.pluginPaths; }),
            userKey(),
            leaf("log_level", &H::logLevel, Reload::applied,
                 LeafSpec<std::string>{
                     choice(kLogLevels).type, choice(kLogLevels).example, choice(kLogLevels).read,
                     [](const std::string& level) { Poco::Logger::setLevel("", Poco::Logger::parseLevel(level)); }}),
            // Read only when stopping: the running config's value is the one used.
            leaf("shutdown_grace_ms", &H::shutdownGraceMs, Reload::applied, integer<int>(0, kIntMax)),
            nested("http", &H::http, httpSettings),
            nested("broker", &H::broker, brokerSettings),
            databasesKey(),
            pluginsKey(),
        },
        [](Reader& reader, const Field& top, const std::map<std::string, Field>& seen, H& config) {
            if (!seen.count("broker")) {
                finishBroker(reader, Field{top.node, "", top.mark}, {}, config.broker);
            }
            if (!seen.count("plugins")) {
                reader.problem(top.mark, "plugins", "missing (required)");
            }
        }};
    return section;
}

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(joinProblems(problems)), problems_(std::move(problems)) {}

HostConfig loadHostConfig(const std::string& file) {
    HostConfig config;
    config.file = fs::absolute(file).lexically_normal().string();
    config.sources.push_back({config.file});
    Reader reader(file, fs::path(config.file).parent_path(), config);

    std::error_code error;
    if (!fs::exists(file, error)) {
        reader.problem(YAML::Mark::null_mark(), "file", "no such file");
        throw ConfigError(reader.takeProblems());
    }
    std::ifstream stream(file);
    if (fs::is_directory(file, error) || !stream) {
        reader.problem(YAML::Mark::null_mark(), "file", "cannot be read as a file");
        throw ConfigError(reader.takeProblems());
    }
    YAML::Node root;
    try {
        root = YAML::Load(stream);
    } catch (const YAML::Exception& e) {
        // Past a syntax error the document has no reliable structure to check further.
        reader.problem(e.mark, "yaml", e.msg);
        throw ConfigError(reader.takeProblems());
    }
    if (!root.IsMap()) {
        reader.problem(root.Mark(), "(top level)",
                       root.IsNull() ? "the file is empty; expected a map with at least plugins:"
                                     : "expected a map, got " + describe(root));
        throw ConfigError(reader.takeProblems());
    }

    // Without plugin_path, libraries are searched beside the file.
    if (!root["plugin_path"]) {
        config.pluginPaths.push_back(reader.folder().string());
    }
    readSection(reader, Field{root, "", root.Mark()}, hostSettings(), config);

    auto problems = reader.takeProblems();
    config.warnings = reader.takeWarnings();
    readFragments(config, problems);
    // Only files nobody else can change: a file another user may write is their code running.
    for (auto& problem : untrustedSources(config, runUid(config))) {
        problems.push_back(std::move(problem));
    }
    if (!problems.empty()) {
        throw ConfigError(std::move(problems));
    }
    return config;
}

}  // namespace micro_order::host
