// `plugins:` the plugin instances, in start order, and `plugin_path:` where their libraries are.

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "config_sections.hpp"

namespace micro_order::host {

namespace {

namespace fs = std::filesystem;

/// Flattens `config:` into the dotted keys Poco's AbstractConfiguration reads: a.b, list[0].x.
void flatten(Reader& reader, const Field& field, const std::string& prefix, Poco::Util::MapConfiguration& out) {
    if (field.node.IsMap()) {
        reader.readMap(field, [&](const std::string& name, const Field& value) {
            flatten(reader, value, prefix.empty() ? name : prefix + "." + name, out);
            return true;
        });
    } else if (field.node.IsSequence()) {
        reader.readList(
            field, [&](const Field& item) { flatten(reader, item, prefix + item.key.substr(field.key.size()), out); });
    } else {
        // An empty value is still a key the plugin can test for with hasProperty().
        out.setString(prefix, field.node.IsScalar() ? field.node.Scalar() : "");
    }
}

bool isWildcard(const std::string& host) { return host == "0.0.0.0" || host == "::"; }

/// Binding a wildcard takes the port on every address, so it clashes with any host on that port.
bool conflicts(const ListenAddress& a, const ListenAddress& b) {
    return a.port == b.port && (a.host == b.host || isWildcard(a.host) || isWildcard(b.host));
}

/// `library: name` is searched as name.so along plugin_path; anything with a '/' is a path.
std::string resolveLibrary(Reader& reader, const Field& field, const std::string& library) {
    const auto& pluginPaths = reader.config().pluginPaths;
    std::error_code error;
    if (library.find('/') != std::string::npos) {
        const std::string path = reader.resolvePath(library);
        if (!fs::is_regular_file(path, error)) {
            reader.problem(field, "library file " + path + " not found");
            return {};
        }
        return path;
    }
    for (const auto& folder : pluginPaths) {
        const std::string path = (fs::path(folder) / (library + ".so")).string();
        if (fs::is_regular_file(path, error)) {
            return path;
        }
    }
    reader.problem(field, "library " + library + ".so not found in plugin_path: " + join(pluginPaths));
    return {};
}

void readName(Reader& reader, const Field& field, PluginInstanceSettings& plugin) {
    if (auto text = reader.readString(field)) {
        if (!isValidName(*text)) {
            reader.problem(field, "'" + *text + "' may only use letters, digits, '_', '.' and '-'");
        }
        plugin.name = *text;
    }
}

void readLibrary(Reader& reader, const Field& field, PluginInstanceSettings& plugin) {
    if (auto text = reader.readString(field)) {
        plugin.library = *text;
        plugin.libraryPath = resolveLibrary(reader, field, *text);
    }
}

void readListen(Reader& reader, const Field& field, PluginInstanceSettings& plugin) {
    plugin.listen = parseListen(reader, field);
}

void readDatabaseReference(Reader& reader, const Field& field, PluginInstanceSettings& plugin) {
    if (auto text = reader.readString(field)) {
        const auto& databases = reader.config().databases;
        if (!reader.config().findDatabase(*text)) {
            std::vector<std::string> names;
            for (const auto& database : databases) {
                names.push_back(database.name);
            }
            reader.problem(
                field, "unknown database '" + *text + "' (databases: " + (names.empty() ? "none" : join(names)) + ")");
        }
        plugin.database = *text;
    }
}

/// Kept as written too: the plugin's schema is checked once its library is loaded, and its
/// problems name this file, line and column.
void readPluginConfig(Reader& reader, const Field& field, PluginInstanceSettings& plugin) {
    plugin.configNode = field.node;
    plugin.configMark = field.mark;
    if (field.node.IsMap()) {
        flatten(reader, field, "", *plugin.config);
    } else if (!field.node.IsNull()) {
        reader.problem(field, "expected a map, got " + describe(field.node));
    }
}

/// The plugin sees its config as written: compared as YAML text (comments and layout aside).
bool sameConfig(const PluginInstanceSettings& a, const PluginInstanceSettings& b) {
    const auto text = [](const YAML::Node& node) { return node.IsDefined() ? YAML::Dump(node) : std::string(); };
    return text(a.configNode) == text(b.configNode);
}

/// `listen:` is a string or a map: absent or present is a change of its own.
Key<PluginInstanceSettings> listenKey() {
    using P = PluginInstanceSettings;
    Key<P> key =
        custom<P>("listen", "host:port, or a map", "127.0.0.1:2", readListen, [](const P&, const P&) { return true; });
    key.list = [](const SettingPath& where, std::vector<SettingInfo>& out) {
        out.push_back({where.setting, "host:port, or a map", "", Reload::restart, "127.0.0.1:2"});
        listSection(listenSettings(), where, out);
    };
    key.diff = [](P& running, const P& next, const SettingPath& where, std::vector<SettingChange>& out, bool apply) {
        if (running.listen.has_value() != next.listen.has_value()) {
            out.push_back({where.setting, where.path, Reload::restart, running.listen ? "removed" : "added"});
        } else if (running.listen) {
            diffSection(listenSettings(), *running.listen, *next.listen, where, out, apply);
        }
    };
    return key;
}

Key<PluginInstanceSettings> nameKey() {
    using P = PluginInstanceSettings;
    Key<P> key = alias<P>("name", "plugins[*]", "renamed", readName);
    key.list = [](const SettingPath& where, std::vector<SettingInfo>& out) {
        out.push_back({where.setting, "instance name", "", Reload::restart, "renamed", "plugins[*]"});
    };
    return key;
}

struct ListenSite {
    ListenAddress address;
    std::string key;
    int line;
};

}  // namespace

void readPluginPaths(Reader& reader, const Field& field, std::vector<std::string>& paths) {
    const auto add = [&](const Field& item) {
        if (auto text = reader.readString(item)) {
            paths.push_back(reader.resolvePath(*text));
        }
    };
    if (field.node.IsSequence()) {
        reader.readList(field, add);
        if (field.node.size() == 0) {
            reader.problem(field, "must name at least one folder");
        }
    } else {
        add(field);
    }
}

const Section<PluginInstanceSettings>& pluginSettings() {
    using P = PluginInstanceSettings;
    static const Section<P> section{{
        // An instance is known by its name: a new name is another instance (plugins[*]).
        nameKey(),
        custom<P>("library", "library name or path", "./other.so", readLibrary,
                  [](const P& a, const P& b) { return a.libraryPath == b.libraryPath; }),
        listenKey(),
        custom<P>("database", "a name under databases:", "other", readDatabaseReference,
                  [](const P& a, const P& b) { return a.database == b.database; }),
        custom<P>("config", "the plugin's own map (its schema)", "{reload_test: changed}", readPluginConfig,
                  sameConfig),
    }};
    return section;
}

Key<HostConfig> pluginsKey() {
    Key<HostConfig> key;
    key.name = "plugins";
    key.late = true;
    key.read = [](Reader& reader, const Field& field, HostConfig& config) {
        // Instances already read (from the main file, when this is a conf.d fragment) count too.
        std::map<std::string, int> nameLines;
        std::vector<ListenSite> listens;
        for (std::size_t i = 0; i < config.plugins.size(); ++i) {
            const auto& earlier = config.plugins[i];
            nameLines.emplace(earlier.name, earlier.mark.line);
            if (earlier.listen) {
                listens.push_back({*earlier.listen, "plugins[" + std::to_string(i) + "].listen of " + earlier.mark.file,
                                   earlier.mark.line});
            }
        }
        if (reader.fragment() && field.node.IsNull()) {
            return;
        }
        if (field.node.IsNull() || (field.node.IsSequence() && field.node.size() == 0)) {
            reader.problem(field, "must list at least one plugin instance");
            return;
        }
        reader.readList(field, [&](const Field& item) {
            PluginInstanceSettings plugin;
            plugin.config = new Poco::Util::MapConfiguration;
            plugin.mark = reader.sourceMark(item.mark);
            // Until a `config:` says otherwise, the schema's problems (a required key) point here.
            plugin.configKey = item.key + ".config";
            plugin.configMark = item.mark;
            if (!item.node.IsMap()) {
                reader.problem(item, "expected a map, got " + describe(item.node));
                return;
            }
            readSection(reader, item, pluginSettings(), plugin);
            const auto at = [&](const char* name) {
                const YAML::Node value = item.node[name];
                return Field{value, item.key + "." + name, value.Mark()};
            };
            if (!plugin.name.empty() && isValidName(plugin.name)) {
                const Field name = at("name");
                if (auto [it, inserted] = nameLines.emplace(plugin.name, name.mark.line + 1); !inserted) {
                    reader.problem(name, "duplicate name '" + plugin.name + "' (first at line " +
                                             std::to_string(it->second) + ")");
                }
            }
            if (plugin.listen) {
                const Field listen = at("listen");
                for (const auto& other : listens) {
                    if (conflicts(*plugin.listen, other.address)) {
                        reader.problem(listen, "port " + std::to_string(plugin.listen->port) + " is already taken by " +
                                                   other.key + " (line " + std::to_string(other.line) + ")");
                        break;
                    }
                }
                listens.push_back({*plugin.listen, listen.key, listen.mark.line + 1});
            }
            reader.require(item, "name");
            reader.require(item, "library");
            config.plugins.push_back(std::move(plugin));
        });
    };
    key.list = [](const SettingPath& where, std::vector<SettingInfo>& out) {
        out.push_back({where.setting + "[*]", "an instance (added, removed or moved)", "", Reload::restart,
                       "{name: third, library: ./other.so}"});
        listSection(pluginSettings(), where.element("[*]", "[*]"), out);
    };
    key.diff = [](HostConfig& running, const HostConfig& next, const SettingPath& where,
                  std::vector<SettingChange>& out, bool apply) {
        const auto find = [](const HostConfig& config, const std::string& name) -> const PluginInstanceSettings* {
            for (const auto& plugin : config.plugins) {
                if (plugin.name == name) {
                    return &plugin;
                }
            }
            return nullptr;
        };
        std::vector<std::string> kept;  // in running order
        for (auto& plugin : running.plugins) {
            const SettingPath here = where.element("[*]", "[" + plugin.name + "]");
            if (const auto* other = find(next, plugin.name)) {
                kept.push_back(plugin.name);
                diffSection(pluginSettings(), plugin, *other, here, out, apply);
            } else {
                out.push_back({here.setting, here.path, Reload::restart, "removed"});
            }
        }
        std::vector<std::string> nextOrder;
        for (const auto& plugin : next.plugins) {
            if (!find(running, plugin.name)) {
                out.push_back({where.setting + "[*]", where.path + "[" + plugin.name + "]", Reload::restart, "added"});
            } else {
                nextOrder.push_back(plugin.name);
            }
        }
        // Instances start in file order: a new order is a change too.
        if (kept != nextOrder) {
            out.push_back({where.setting + "[*]", where.path, Reload::restart, "reordered"});
        }
    };
    return key;
}

}  // namespace micro_order::host
