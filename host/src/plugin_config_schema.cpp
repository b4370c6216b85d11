#include "plugin_config_schema.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <tuple>

namespace micro_order::host {
namespace {

constexpr std::array<std::string_view, 6> kTypes{"object", "string", "integer", "number", "boolean", "array"};

std::string join(const std::vector<std::string>& words) {
    std::string joined;
    for (const auto& word : words) {
        joined += (joined.empty() ? "" : ", ") + word;
    }
    return joined;
}

std::string describeNode(const YAML::Node& node) {
    if (node.IsMap()) {
        return "a map";
    }
    if (node.IsSequence()) {
        return "a list";
    }
    if (node.IsScalar()) {
        return "'" + node.Scalar() + "'";
    }
    return "nothing";
}

std::optional<long long> asInteger(const std::string& text) {
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<double> asNumber(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() ? std::optional<double>(value) : std::nullopt;
}

/// As Poco's AbstractConfiguration::getBool reads them.
bool isBoolean(const std::string& text) {
    static const std::array<std::string_view, 8> kWords{"true", "false", "yes", "no", "on", "off", "1", "0"};
    return std::find(kWords.begin(), kWords.end(), text) != kWords.end();
}

std::string number(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

/// Why `text` is no value of the scalar `schema`, or nullopt when it is one.
std::optional<std::string> scalarProblem(const ConfigSchemaNode& schema, const std::string& text) {
    if (schema.type == "integer" || schema.type == "number") {
        const auto value = schema.type == "integer"
                               ? (asInteger(text) ? std::optional<double>(*asInteger(text)) : std::nullopt)
                               : asNumber(text);
        if (!value) {
            return "expected " + std::string(schema.type == "integer" ? "an integer" : "a number") + ", got '" + text +
                   "'";
        }
        if ((schema.minimum && *value < *schema.minimum) || (schema.maximum && *value > *schema.maximum)) {
            return "must be " +
                   (schema.minimum && schema.maximum
                        ? "between " + number(*schema.minimum) + " and " + number(*schema.maximum)
                    : schema.minimum ? "at least " + number(*schema.minimum)
                                     : "at most " + number(*schema.maximum)) +
                   ", got " + text;
        }
    } else if (schema.type == "boolean") {
        if (!isBoolean(text)) {
            return "expected true or false, got '" + text + "'";
        }
    } else if (!schema.choices.empty() &&
               std::find(schema.choices.begin(), schema.choices.end(), text) == schema.choices.end()) {
        return "'" + text + "' is not one of: " + join(schema.choices);
    }
    return std::nullopt;
}

std::unique_ptr<ConfigSchemaNode> parseNode(const YAML::Node& yaml, const std::string& key, bool isRoot) {
    const auto fail = [&](const std::string& what) {
        throw std::invalid_argument("config schema: " + (key.empty() ? std::string("(root)") : key) + ": " + what);
    };
    if (!yaml.IsMap()) {
        fail("expected a map, got " + describeNode(yaml));
    }
    auto node = std::make_unique<ConfigSchemaNode>();
    for (const auto& entry : yaml) {
        const std::string name = entry.first.Scalar();
        const YAML::Node& value = entry.second;
        const std::string where = (key.empty() ? "" : key + ".") + name;
        if (name == "type") {
            node->type = value.Scalar();
            if (std::find(kTypes.begin(), kTypes.end(), node->type) == kTypes.end()) {
                fail("type '" + node->type + "' is not one of object, string, integer, number, boolean, array");
            }
        } else if (name == "description") {
            node->description = value.Scalar();
        } else if (name == "additionalProperties") {
            node->additionalProperties = value.as<bool>();
        } else if (name == "required") {
            node->required = value.as<std::vector<std::string>>();
        } else if (name == "properties") {
            if (!value.IsMap() && !value.IsNull()) {
                fail("properties must be a map");
            }
            for (const auto& property : value) {
                const std::string propertyName = property.first.Scalar();
                node->properties.emplace_back(propertyName,
                                              parseNode(property.second, where + "." + propertyName, false));
            }
        } else if (name == "items") {
            node->items = parseNode(value, where, false);
        } else if (name == "enum") {
            node->choices = value.as<std::vector<std::string>>();
        } else if (name == "minimum" || name == "maximum") {
            const auto bound = asNumber(value.Scalar());
            if (!bound) {
                fail(name + " must be a number");
            }
            (name == "minimum" ? node->minimum : node->maximum) = bound;
        } else if (name == "minItems") {
            node->minItems = value.as<std::size_t>();
        } else if (name == "default") {
            if (!value.IsScalar()) {
                fail("default must be a scalar");
            }
            node->defaultValue = value.Scalar();
        } else {
            fail("unknown schema keyword '" + name + "'");
        }
    }
    if (node->type.empty()) {
        fail("type is required");
    }
    if (isRoot && node->type != "object") {
        fail("the root must be type: object");
    }
    if (!isRoot && node->description.empty()) {
        fail("description is required");
    }
    if (node->type == "array" && !node->items) {
        fail("an array needs items");
    }
    for (const auto& name : node->required) {
        if (!node->property(name)) {
            fail("required names '" + name + "', which is not among properties");
        }
    }
    if (node->defaultValue) {
        if (node->type == "object" || node->type == "array") {
            fail("only scalars take a default");
        }
        if (const auto problem = scalarProblem(*node, *node->defaultValue)) {
            fail("default: " + *problem);
        }
    }
    return node;
}

struct Problem {
    int line;
    int column;
    std::string text;
};

class Validator {
public:
    explicit Validator(const ConfigSite& site) : site_(site) {}

    void check(const ConfigSchemaNode& schema, const YAML::Node& value, const std::string& key,
               const YAML::Mark& mark) {
        if (schema.type == "object") {
            checkObject(schema, value, key, mark);
        } else if (schema.type == "array") {
            if (!value.IsSequence()) {
                add(mark, key, "expected a list, got " + describeNode(value));
                return;
            }
            if (schema.minItems && value.size() < *schema.minItems) {
                add(mark, key, "must have at least " + std::to_string(*schema.minItems) + " entries");
            }
            for (std::size_t i = 0; i < value.size(); ++i) {
                const YAML::Node item = value[i];
                check(*schema.items, item, key + "[" + std::to_string(i) + "]", item.IsNull() ? mark : item.Mark());
            }
        } else if (!value.IsScalar()) {
            add(mark, key, "expected " + schema.type + ", got " + describeNode(value));
        } else if (const auto problem = scalarProblem(schema, value.Scalar())) {
            add(mark, key, *problem);
        }
    }

    std::vector<std::string> take() {
        std::stable_sort(problems_.begin(), problems_.end(), [](const Problem& a, const Problem& b) {
            return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
        std::vector<std::string> texts;
        for (auto& problem : problems_) {
            texts.push_back(std::move(problem.text));
        }
        return texts;
    }

private:
    void checkObject(const ConfigSchemaNode& schema, const YAML::Node& value, const std::string& key,
                     const YAML::Mark& mark) {
        if (!value.IsMap() && value.IsDefined() && !value.IsNull()) {
            add(mark, key, "expected a map, got " + describeNode(value));
            return;
        }
        std::vector<std::string> known;
        for (const auto& [name, property] : schema.properties) {
            known.push_back(name);
        }
        if (value.IsMap()) {
            for (const auto& entry : value) {
                const std::string name = entry.first.Scalar();
                const YAML::Node& child = entry.second;
                const YAML::Mark childMark = child.IsNull() ? entry.first.Mark() : child.Mark();
                if (const ConfigSchemaNode* property = schema.property(name)) {
                    check(*property, child, key + "." + name, childMark);
                } else if (!schema.additionalProperties) {
                    add(entry.first.Mark(), key + "." + name,
                        "unknown key (" +
                            (known.empty() ? std::string("this plugin takes no config keys")
                                           : "known: " + join(known)) +
                            ")");
                }
            }
        }
        for (const auto& name : schema.required) {
            if (!value.IsMap() || !value[name]) {
                add(mark, key + "." + name, "missing (required)");
            }
        }
    }

    void add(const YAML::Mark& mark, const std::string& key, const std::string& what) {
        const int line = mark.line >= 0 ? mark.line + 1 : 1;
        const int column = mark.column >= 0 ? mark.column + 1 : 1;
        problems_.push_back(
            {line, column,
             site_.file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + key + ": " + what});
    }

    const ConfigSite& site_;
    std::vector<Problem> problems_;
};

void addDefaultsAt(const ConfigSchemaNode& schema, const YAML::Node& value, const std::string& prefix,
                   Poco::Util::MapConfiguration& flat) {
    if (schema.type == "object") {
        for (const auto& [name, property] : schema.properties) {
            const std::string key = prefix.empty() ? name : prefix + "." + name;
            const YAML::Node child = value.IsMap() ? value[name] : YAML::Node();
            if (child.IsDefined() && !child.IsNull()) {
                addDefaultsAt(*property, child, key, flat);
            } else if (property->defaultValue && !flat.hasProperty(key)) {
                flat.setString(key, *property->defaultValue);
            }
        }
    } else if (schema.type == "array" && value.IsSequence()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            addDefaultsAt(*schema.items, value[i], prefix + "[" + std::to_string(i) + "]", flat);
        }
    }
}

}  // namespace

const ConfigSchemaNode* ConfigSchemaNode::property(const std::string& name) const {
    for (const auto& [key, node] : properties) {
        if (key == name) {
            return node.get();
        }
    }
    return nullptr;
}

PluginConfigSchema PluginConfigSchema::parse(const std::string& yamlText) {
    YAML::Node yaml;
    try {
        yaml = YAML::Load(yamlText);
    } catch (const YAML::Exception& error) {
        throw std::invalid_argument("config schema is not YAML: " + error.msg);
    }
    PluginConfigSchema schema;
    try {
        schema.root_ = parseNode(yaml, "", true);
    } catch (const YAML::Exception& error) {
        throw std::invalid_argument("config schema: " + error.msg);
    }
    return schema;
}

std::vector<std::string> PluginConfigSchema::validate(const YAML::Node& config, const ConfigSite& site) const {
    Validator validator(site);
    // An absent `config:` (an invalid node in yaml-cpp, whose Type() throws) counts as empty.
    validator.check(*root_, config.IsDefined() ? config : YAML::Node(), site.key, site.mark);
    return validator.take();
}

void PluginConfigSchema::addDefaults(const YAML::Node& config, Poco::Util::MapConfiguration& flat) const {
    addDefaultsAt(*root_, config.IsDefined() ? config : YAML::Node(), "", flat);
}

}  // namespace micro_order::host
