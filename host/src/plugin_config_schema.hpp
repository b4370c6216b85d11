#pragma once

// The keys a plugin's `config:` may hold, as the plugin declares them (MICRO_ORDER_PLUGIN_CONFIG_
// SCHEMA in the SDK; userver's static config schema is the model), and the check of one
// instance's `config:` against them, with the file position of every problem.

#include <Poco/Util/MapConfiguration.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace micro_order::host {

/// One node of a schema: a subset of JSON Schema, written in YAML.
///
///     type: object                     # object, string, integer, number, boolean or array
///     description: what it is for      # required on every property
///     additionalProperties: false      # objects; the default: unknown keys are errors
///     required: [handler]              # objects
///     properties: {name: <node>, ...}  # objects
///     items: <node>                    # arrays
///     enum: [a, b]                     # strings
///     minimum: 1                       # integers and numbers
///     maximum: 65535
///     minItems: 1                      # arrays
///     default: 5                       # scalars: what the plugin sees when the key is absent
struct ConfigSchemaNode {
    std::string type;
    std::string description;
    bool additionalProperties = false;
    std::vector<std::string> required;
    std::vector<std::pair<std::string, std::unique_ptr<ConfigSchemaNode>>> properties;  ///< in declared order
    std::unique_ptr<ConfigSchemaNode> items;
    std::vector<std::string> choices;  ///< `enum`
    std::optional<double> minimum;
    std::optional<double> maximum;
    std::optional<std::size_t> minItems;
    std::optional<std::string> defaultValue;  ///< as the scalar text

    const ConfigSchemaNode* property(const std::string& name) const;
};

/// Where an instance's `config:` is, for messages: `file:line:col: key...`.
struct ConfigSite {
    std::string file;
    std::string key;  ///< e.g. `plugins[3].config`
    YAML::Mark mark;  ///< the `config:` value, or the instance when it has none
};

class PluginConfigSchema {
public:
    /// Reads a schema's YAML text; throws std::invalid_argument saying which key of the schema
    /// is wrong. The root must be `type: object`.
    static PluginConfigSchema parse(const std::string& yamlText);

    /// Every problem of `config` (the instance's `config:` node; null or absent for none), as
    /// `file:line:column: key: what is wrong`, in file order. Empty when it fits.
    std::vector<std::string> validate(const YAML::Node& config, const ConfigSite& site) const;

    /// Sets in `flat` (dotted keys, as the plugin reads them) the default of every key the
    /// schema gives one and `config` leaves out.
    void addDefaults(const YAML::Node& config, Poco::Util::MapConfiguration& flat) const;

    const ConfigSchemaNode& root() const { return *root_; }

private:
    std::shared_ptr<const ConfigSchemaNode> root_;
};

}  // namespace micro_order::host
