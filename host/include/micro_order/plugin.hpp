#pragma once

/// @file
/// The micro-order plugin SDK. A plugin is a shared library that implements `Plugin` and names
/// it once with `MICRO_ORDER_PLUGIN`. The host loads it, checks `kAbiVersion`, creates one
/// object per instance named in the YAML file and hands each a `Context`.

#include <Poco/Logger.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <boost/config.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "micro_order/database.hpp"
#include "micro_order/http.hpp"
#include "micro_order/messaging.hpp"

namespace micro_order {

/// Bumped whenever a type in this SDK changes shape. The host refuses plugins built against
/// another version instead of crashing in them.
constexpr int kAbiVersion = 3;

/// Gauges a plugin adds to its host's `GET /metrics` (the Prometheus text every listener serves).
class Metrics {
public:
    /// A gauge read each time /metrics is rendered, on a listener thread: keep `read` cheap and
    /// thread-safe. `name` is a Prometheus metric name (prefix it `micro_order_`); the host adds
    /// the label `instance` (the instance's name) before `labels`. The host stops reading it
    /// before the instance goes away.
    virtual void gauge(const std::string& name, const std::string& help,
                       const std::vector<std::pair<std::string, std::string>>& labels,
                       std::function<double()> read) = 0;

protected:
    ~Metrics() = default;
};

/// What the host gives one plugin instance. Valid from `start` until `stop` returns.
class Context {
public:
    virtual ~Context() = default;
    /// The instance name from the YAML file.
    virtual const std::string& name() const = 0;
    /// The instance's own `config:` subtree (dotted keys, `list[0]` for sequences).
    virtual const Poco::Util::AbstractConfiguration& config() const = 0;
    /// A logger named after the instance.
    virtual Poco::Logger& logger() const = 0;
    /// The routes of the instance's `listen:` address. Throws if the instance has none.
    virtual Router& http() = 0;
    /// The instance's `database:`. Throws if the instance names none.
    virtual Database& database() = 0;
    /// The broker from the YAML file.
    virtual Broker& broker() = 0;
    /// The host's /metrics, for the plugin's own gauges.
    virtual Metrics& metrics() = 0;
};

class Plugin {
public:
    virtual ~Plugin() = default;
    /// Reads config, migrates, registers routes and handlers. Instances start in the YAML's
    /// order; an exception aborts start-up. Traffic flows only after every instance started.
    virtual void start(Context& context) = 0;
    /// Called in reverse order after traffic stopped.
    virtual void stop() {}
};

}  // namespace micro_order

/// Declares the keys a plugin's `config:` may hold, once, as YAML text: a subset of JSON Schema
/// (userver's static config schema is the model; the README's "Plugin config schemas" lists the
/// keywords). The host checks each instance's `config:` against it at start and in
/// `--check-config`, reporting `file:line:column: key: what is wrong` (unknown keys are errors),
/// and fills in each `default:` the file leaves out. Every plugin should declare one (one with
/// no keys: `type: object` and `properties: {}`); the config of a plugin without one goes
/// unchecked. Use it once, beside MICRO_ORDER_PLUGIN:
///
///     MICRO_ORDER_PLUGIN_CONFIG_SCHEMA(R"(
///     type: object
///     properties:
///       greeting: {type: string, description: what to say, default: hello}
///     )")
#define MICRO_ORDER_PLUGIN_CONFIG_SCHEMA(YAML_TEXT) \
    extern "C" BOOST_SYMBOL_EXPORT const char* micro_order_plugin_config_schema() { return YAML_TEXT; }

/// Exports a plugin class. The host reads the ABI version and name before it creates anything.
#define MICRO_ORDER_PLUGIN(NAME, CLASS)                                                                 \
    extern "C" BOOST_SYMBOL_EXPORT int micro_order_abi_version() { return ::micro_order::kAbiVersion; } \
    extern "C" BOOST_SYMBOL_EXPORT const char* micro_order_plugin_name() { return NAME; }               \
    extern "C" BOOST_SYMBOL_EXPORT ::micro_order::Plugin* micro_order_create_plugin() { return new CLASS(); }
