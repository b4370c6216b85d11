#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "config_reader.hpp"

// The settings catalog: every YAML key is declared once, in the section of the file it belongs
// to (config_*.cpp), with how it is read (type, range, default: the struct's initializer), the
// field it fills, and what a SIGHUP does with a change: apply it, or name it as needing a
// restart. Reading, the unknown-key check, the reload diff and the README's reload table all
// come from these declarations.
//
// Adding a key: give its struct (host_config.hpp) the field with its default, then one line in
// its section's table, e.g. in config_database.cpp's databaseSettings():
//     leaf("statement_timeout_ms", &D::statementTimeoutMs, Reload::restart, integer<int>(0, kIntMax)),
// (choice(...), boolean(), filePath(example) for other leaves; nested("name", &T::member, fn) for
// a map with its own Section; custom<T>(...) when a value spans fields or files). Then make the
// README's reload table the test prints (settings_reload_test), and give the key an example
// value the walk test can load if the leaf helpers' own cannot (files it needs: its SetUp).

namespace micro_order::host {

/// What a SIGHUP does when a setting changed.
enum class Reload {
    applied,  ///< taken at once (the running config gets the new value; `onApply` acts on it)
    restart,  ///< reported by its path as needing a restart
};

/// One setting of the catalog, for listings and tests.
struct SettingInfo {
    std::string path;   ///< YAML path; `*` for a database name, `[*]` for a plugin instance
    std::string type;   ///< e.g. `integer 1..1024`, `one of: OFF, NORMAL, FULL`
    std::string value;  ///< the default, when there is one
    Reload reload;
    /// Another valid value, as YAML, for the test that changes every setting; empty: there is none.
    std::string example;
    /// A deprecated alias: the setting its change shows up as.
    std::string reportedAs{};
};

/// A setting that differs between the running config and a re-read one.
struct SettingChange {
    std::string setting;  ///< its catalog path (SettingInfo::path)
    std::string path;     ///< where it is in the file, e.g. `databases.orders.pool_size`
    Reload reload;
    std::string what = "changed";  ///< or `added`, `removed`
};

/// Both paths of a setting while the catalog is walked.
struct SettingPath {
    std::string setting;
    std::string path;
    SettingPath child(const std::string& name) const { return {join(setting, name), join(path, name)}; }
    SettingPath element(const std::string& settingPart, const std::string& pathPart) const {
        return {setting + settingPart, path + pathPart};
    }

private:
    static std::string join(const std::string& prefix, const std::string& name) {
        return prefix.empty() ? name : prefix + "." + name;
    }
};

/// One key of a section whose values fill a T.
template <typename T>
struct Key {
    std::string name;
    /// Read after the section's other keys (plugins refer to plugin_path and databases).
    bool late = false;
    std::function<void(Reader&, const Field&, T&)> read;
    /// Adds the settings this key stands for (itself, or the keys below it).
    std::function<void(const SettingPath&, std::vector<SettingInfo>&)> list;
    /// Appends what differs; with `apply`, takes the applied settings' new values into `running`.
    std::function<void(T& running, const T& next, const SettingPath&, std::vector<SettingChange>&, bool apply)> diff;
};

/// The keys of one YAML map. `finish` checks what spans keys once they are read (`seen`: the
/// keys the file wrote); it runs even when the map is absent or wrong, so defaults get checked.
template <typename T>
struct Section {
    std::vector<Key<T>> keys;
    std::function<void(Reader&, const Field& map, const std::map<std::string, Field>& seen, T&)> finish{};
};

template <typename T>
void readSection(Reader& reader, const Field& field, const Section<T>& section, T& target) {
    std::map<std::string, Field> seen;
    reader.readMap(field, [&](const std::string& name, const Field& value) {
        for (const auto& key : section.keys) {
            if (key.name == name) {
                seen.emplace(name, value);
                return true;
            }
        }
        return false;
    });
    for (const bool late : {false, true}) {
        for (const auto& key : section.keys) {
            if (key.late == late) {
                if (const auto it = seen.find(key.name); it != seen.end()) {
                    key.read(reader, it->second, target);
                }
            }
        }
    }
    if (section.finish) {
        section.finish(reader, field, seen, target);
    }
}

template <typename T>
void listSection(const Section<T>& section, const SettingPath& where, std::vector<SettingInfo>& out) {
    for (const auto& key : section.keys) {
        key.list(where.child(key.name), out);
    }
}

template <typename T>
void diffSection(const Section<T>& section, T& running, const T& next, const SettingPath& where,
                 std::vector<SettingChange>& out, bool apply) {
    for (const auto& key : section.keys) {
        key.diff(running, next, where.child(key.name), out, apply);
    }
}

namespace settings_detail {

template <typename V>
std::string defaultText(const V& value) {
    if constexpr (std::is_same_v<V, bool>) {
        return value ? "true" : "false";
    } else if constexpr (std::is_arithmetic_v<V>) {
        return std::to_string(value);
    } else if constexpr (std::is_same_v<V, std::string>) {
        return value;
    } else if constexpr (requires { settingText(value); }) {
        return std::string(settingText(value));  // an enum's YAML word, found by ADL
    } else {
        return {};
    }
}

}  // namespace settings_detail

/// What a leaf key is: its listing, how it reads into a V, and (for applied keys) what to do
/// once the running config took the new value.
template <typename V>
struct LeafSpec {
    std::string type;
    /// Another valid value than `defaultValue`, as YAML ("" when there is none): SettingInfo::example.
    std::function<std::string(const V& defaultValue)> example;
    std::function<void(Reader&, const Field&, V&)> read;
    std::function<void(const V&)> onApply{};
};

/// A key whose value is one field of T, compared with ==.
template <typename T, typename V>
Key<T> leaf(std::string name, V T::*member, Reload reload, LeafSpec<V> spec) {
    Key<T> key;
    key.name = std::move(name);
    key.read = [member, read = spec.read](Reader& reader, const Field& field, T& target) {
        read(reader, field, target.*member);
    };
    key.list = [member, reload, type = spec.type, example = spec.example](const SettingPath& where,
                                                                          std::vector<SettingInfo>& out) {
        const V value = T{}.*member;
        out.push_back({where.setting, type, settings_detail::defaultText(value), reload, example(value)});
    };
    key.diff = [member, reload, onApply = spec.onApply](T& running, const T& next, const SettingPath& where,
                                                        std::vector<SettingChange>& out, bool apply) {
        if (running.*member == next.*member) {
            return;
        }
        out.push_back({where.setting, where.path, reload});
        if (apply && reload == Reload::applied) {
            running.*member = next.*member;
            if (onApply) {
                onApply(running.*member);
            }
        }
    };
    return key;
}

/// An integer in [min, max].
template <typename V>
LeafSpec<V> integer(long long min, long long max) {
    return {
        "integer " + std::to_string(min) + ".." + std::to_string(max),
        [max](const V& value) { return std::to_string(static_cast<long long>(value) < max ? value + 1 : value - 1); },
        [min, max](Reader& reader, const Field& field, V& target) { reader.readInt(field, target, min, max); }};
}

/// One of `choices` (kept as written in the list, whatever the case in the file when ignoreCase).
LeafSpec<std::string> choice(std::span<const std::string_view> choices, bool ignoreCase = false);
LeafSpec<bool> boolean();
/// A file or folder, relative to the YAML file's folder; `example` names one the test creates.
LeafSpec<std::string> filePath(std::string example);

/// A map below this key whose keys fill the member `U T::*` (Section<U>).
template <typename T, typename U>
Key<T> nested(std::string name, U T::*member, const Section<U>& (*keys)()) {
    Key<T> key;
    key.name = std::move(name);
    key.read = [member, keys](Reader& reader, const Field& field, T& target) {
        readSection(reader, field, keys(), target.*member);
    };
    key.list = [keys](const SettingPath& where, std::vector<SettingInfo>& out) { listSection(keys(), where, out); };
    key.diff = [member, keys](T& running, const T& next, const SettingPath& where, std::vector<SettingChange>& out,
                              bool apply) { diffSection(keys(), running.*member, next.*member, where, out, apply); };
    return key;
}

/// A map below this key whose keys fill T itself (e.g. `listen.auth.*` are ListenAddress fields).
template <typename T>
Key<T> group(std::string name, const Section<T>& (*keys)()) {
    Key<T> key;
    key.name = std::move(name);
    key.read = [keys](Reader& reader, const Field& field, T& target) { readSection(reader, field, keys(), target); };
    key.list = [keys](const SettingPath& where, std::vector<SettingInfo>& out) { listSection(keys(), where, out); };
    key.diff = [keys](T& running, const T& next, const SettingPath& where, std::vector<SettingChange>& out,
                      bool apply) { diffSection(keys(), running, next, where, out, apply); };
    return key;
}

/// A key read by hand (several fields, files, references): compared with `same`, always restart.
template <typename T>
Key<T> custom(std::string name, std::string type, std::string example,
              std::function<void(Reader&, const Field&, T&)> read, std::function<bool(const T&, const T&)> same) {
    Key<T> key;
    key.name = std::move(name);
    key.read = std::move(read);
    key.list = [type, example](const SettingPath& where, std::vector<SettingInfo>& out) {
        out.push_back({where.setting, type, "", Reload::restart, example});
    };
    key.diff = [same](T& running, const T& next, const SettingPath& where, std::vector<SettingChange>& out, bool) {
        if (!same(running, next)) {
            out.push_back({where.setting, where.path, Reload::restart});
        }
    };
    return key;
}

/// A key that stands for something else's change (a deprecated alias): read, listed as
/// reported under `reportedAs`, never diffed on its own.
template <typename T>
Key<T> alias(std::string name, std::string reportedAs, std::string example,
             std::function<void(Reader&, const Field&, T&)> read) {
    Key<T> key;
    key.name = std::move(name);
    key.read = std::move(read);
    key.list = [reportedAs, example](const SettingPath& where, std::vector<SettingInfo>& out) {
        out.push_back({where.setting, "deprecated: read as " + reportedAs, "", Reload::restart, example, reportedAs});
    };
    key.diff = [](T&, const T&, const SettingPath&, std::vector<SettingChange>&, bool) {};
    return key;
}

}  // namespace micro_order::host
