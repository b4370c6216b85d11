#pragma once

#include <yaml-cpp/yaml.h>

#include <array>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host_config.hpp"

// Reading a YAML config file: values with their dotted keys and positions, and problems collected
// (not thrown) so that a user fixes a file in one round trip. Shared by every settings section.

namespace micro_order::host {

inline constexpr long long kIntMax = std::numeric_limits<int>::max();
inline constexpr long long kLongMax = std::numeric_limits<long long>::max();
inline constexpr std::array<std::string_view, 2> kBooleans{"true", "false"};

std::string joinProblems(const std::vector<std::string>& problems);
std::string join(std::span<const std::string_view> words);
std::string join(const std::vector<std::string>& words);

/// Says what a node is, for "expected X, got Y" messages.
std::string describe(const YAML::Node& node);

/// Letters, digits, '_', '.' and '-': instance and database names.
bool isValidName(std::string_view name);

/// A value in the file with the dotted key that leads to it, so every problem names both.
struct Field {
    YAML::Node node;
    std::string key;
    /// The value's position, or its key's when the value is an empty (implicit null) value:
    /// yaml-cpp marks those at the next token, often on the following line.
    YAML::Mark mark;
};

/// Knows the file being read and the config being filled, and collects problems instead of
/// stopping at the first.
class Reader {
public:
    /// `fragment`: a conf.d file, which may only add databases and plugins.
    Reader(std::string file, std::filesystem::path folder, HostConfig& config, bool fragment = false)
        : file_(std::move(file)), folder_(std::move(folder)), config_(config), fragment_(fragment) {}

    const std::filesystem::path& folder() const { return folder_; }
    HostConfig& config() { return config_; }
    bool fragment() const { return fragment_; }

    /// 1-based; a null mark (empty document) still gets a position editors can jump to.
    SourceMark sourceMark(const YAML::Mark& mark) const;

    void problem(const YAML::Mark& mark, const std::string& key, const std::string& message);
    void problem(const Field& field, const std::string& message) { problem(field.mark, field.key, message); }

    /// Something that works but should change (a deprecated key): logged, never an error.
    void warning(const Field& field, const std::string& message);
    std::vector<std::string> takeWarnings() { return std::exchange(warnings_, {}); }

    /// Problems in file order: checks run in passes (references after definitions), the user
    /// reads top to bottom.
    std::vector<std::string> takeProblems();

    /// Calls visit(name, value) for each entry of a map, in file order. visit returns false for a
    /// key it does not know. An empty value counts as an empty map, so `http:` alone is fine.
    bool readMap(const Field& field, const std::function<bool(const std::string& name, const Field& value)>& visit);
    /// Calls visit(item) for each entry of a list, keys as `key[i]`.
    bool readList(const Field& field, const std::function<void(const Field& item)>& visit);

    std::optional<long long> readInt(const Field& field, long long min, long long max);
    /// Assigns only a valid value, so the default stays when the file's is wrong.
    template <typename T>
    void readInt(const Field& field, T& target, long long min, long long max) {
        if (auto value = readInt(field, min, max)) {
            target = static_cast<T>(*value);
        }
    }
    std::optional<std::string> readString(const Field& field);
    std::optional<std::string> readChoice(const Field& field, std::span<const std::string_view> choices,
                                          bool ignoreCase = false);

    /// Relative paths are relative to the YAML file, so a config works from any working folder.
    std::string resolvePath(const std::string& path) const;

    /// Reports a required key absent from a map at the map itself: there is no key to point at.
    bool require(const Field& map, const char* name);

    /// A `*_file:` setting (broker.url_file, databases.*.url_file): the secret in the file it
    /// names (secret_file.hpp), or nullopt after a problem. `resolved` gets the file's path, and
    /// the file joins the config's sources for the trust checks. One mechanism for every secret.
    std::optional<std::string> readSecretSetting(const Field& field, std::string& resolved);

private:
    struct Problem {
        int line;
        int column;
        std::string text;
    };

    std::string file_;
    std::filesystem::path folder_;
    HostConfig& config_;
    bool fragment_;
    std::vector<Problem> problems_;
    std::vector<std::string> warnings_;
};

}  // namespace micro_order::host
