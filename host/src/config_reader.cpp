#include "config_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <tuple>

#include "secret_file.hpp"

namespace micro_order::host {

namespace fs = std::filesystem;

std::string joinProblems(const std::vector<std::string>& problems) {
    std::string joined;
    for (const auto& problem : problems) {
        if (!joined.empty()) {
            joined += '\n';
        }
        joined += problem;
    }
    return joined;
}

std::string join(std::span<const std::string_view> words) {
    std::string joined;
    for (auto word : words) {
        joined += joined.empty() ? "" : ", ";
        joined += word;
    }
    return joined;
}

std::string join(const std::vector<std::string>& words) {
    std::vector<std::string_view> views(words.begin(), words.end());
    return join(views);
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map:
            return "a map";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Scalar:
            return "'" + node.Scalar() + "'";
        default:
            return "nothing";
    }
}

bool isValidName(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '.' || c == '-';
    });
}

SourceMark Reader::sourceMark(const YAML::Mark& mark) const {
    return {file_, mark.line >= 0 ? mark.line + 1 : 1, mark.column >= 0 ? mark.column + 1 : 1};
}

void Reader::problem(const YAML::Mark& mark, const std::string& key, const std::string& message) {
    const SourceMark where = sourceMark(mark);
    problems_.push_back(
        {where.line, where.column,
         file_ + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " + key + ": " + message});
}

void Reader::warning(const Field& field, const std::string& message) {
    const SourceMark where = sourceMark(field.mark);
    warnings_.push_back(file_ + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                        field.key + ": " + message);
}

std::vector<std::string> Reader::takeProblems() {
    std::stable_sort(problems_.begin(), problems_.end(), [](const auto& a, const auto& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    std::vector<std::string> texts;
    for (auto& problem : problems_) {
        texts.push_back(std::move(problem.text));
    }
    problems_.clear();
    return texts;
}

bool Reader::readMap(const Field& field,
                     const std::function<bool(const std::string& name, const Field& value)>& visit) {
    if (field.node.IsNull()) {
        return true;
    }
    if (!field.node.IsMap()) {
        problem(field, "expected a map, got " + describe(field.node));
        return false;
    }
    // yaml-cpp keeps both entries of a repeated key; the second would silently lose.
    std::map<std::string, int> seen;
    for (const auto& entry : field.node) {
        const YAML::Node& keyNode = entry.first;
        const YAML::Node& value = entry.second;
        const std::string prefix = field.key.empty() ? "" : field.key + ".";
        if (!keyNode.IsScalar()) {
            problem(keyNode.Mark(), prefix + "?", "a key must be a plain string, got " + describe(keyNode));
            continue;
        }
        const std::string& name = keyNode.Scalar();
        const Field child{value, prefix + name, value.IsNull() ? keyNode.Mark() : value.Mark()};
        if (auto [it, inserted] = seen.emplace(name, keyNode.Mark().line + 1); !inserted) {
            problem(keyNode.Mark(), child.key, "duplicate key (first at line " + std::to_string(it->second) + ")");
            continue;
        }
        if (!visit(name, child)) {
            problem(keyNode.Mark(), child.key, "unknown key");
        }
    }
    return true;
}

bool Reader::readList(const Field& field, const std::function<void(const Field& item)>& visit) {
    if (!field.node.IsSequence()) {
        problem(field, "expected a list, got " + describe(field.node));
        return false;
    }
    for (std::size_t i = 0; i < field.node.size(); ++i) {
        const YAML::Node item = field.node[i];
        visit({item, field.key + "[" + std::to_string(i) + "]", item.IsNull() ? field.mark : item.Mark()});
    }
    return true;
}

std::optional<long long> Reader::readInt(const Field& field, long long min, long long max) {
    if (!field.node.IsScalar()) {
        problem(field, "expected an integer, got " + describe(field.node));
        return std::nullopt;
    }
    // Decimal only: YAML 1.1 octal/hex/underscore forms in a service config are typos.
    const std::string& text = field.node.Scalar();
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc::invalid_argument || end != text.data() + text.size()) {
        problem(field, "expected an integer, got " + describe(field.node));
        return std::nullopt;
    }
    if (error == std::errc::result_out_of_range || value < min || value > max) {
        problem(field, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + text);
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> Reader::readString(const Field& field) {
    if (!field.node.IsScalar()) {
        problem(field, "expected a string, got " + describe(field.node));
        return std::nullopt;
    }
    if (field.node.Scalar().empty()) {
        problem(field, "must not be empty");
        return std::nullopt;
    }
    return field.node.Scalar();
}

std::optional<std::string> Reader::readChoice(const Field& field, std::span<const std::string_view> choices,
                                              bool ignoreCase) {
    auto text = readString(field);
    if (!text) {
        return std::nullopt;
    }
    const auto matches = [&](std::string_view choice) {
        return ignoreCase
                   ? std::equal(text->begin(), text->end(), choice.begin(), choice.end(),
                                [](unsigned char a, unsigned char b) { return std::toupper(a) == std::toupper(b); })
                   : *text == choice;
    };
    const auto it = std::find_if(choices.begin(), choices.end(), matches);
    if (it == choices.end()) {
        problem(field, "'" + *text + "' is not one of: " + join(choices));
        return std::nullopt;
    }
    return std::string(*it);
}

std::string Reader::resolvePath(const std::string& path) const {
    const fs::path p(path);
    return (p.is_absolute() ? p : folder_ / p).lexically_normal().string();
}

bool Reader::require(const Field& map, const char* name) {
    if (map.node.IsMap() && map.node[name]) {
        return true;
    }
    problem(map.mark, map.key + "." + name, "missing (required)");
    return false;
}

std::optional<std::string> Reader::readSecretSetting(const Field& field, std::string& resolved) {
    auto written = readString(field);
    if (!written) {
        return std::nullopt;
    }
    try {
        resolved = secretFilePath(*written, folder_).string();
        std::string secret = readSecretFile(resolved);
        config_.sources.push_back({resolved, true});
        return secret;
    } catch (const SecretFileError& error) {
        problem(field, error.what());
        return std::nullopt;
    }
}

}  // namespace micro_order::host
