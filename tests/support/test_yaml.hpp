#pragma once

#include <string>

namespace micro_order::testing {

/// The top of a host YAML file for tests: plugin_path (pluginDir()), log_level,
/// shutdown_grace_ms and a `broker:` section on amqpUrl() with short reconnect delays. Tests
/// append their own `http:`, `databases:` and `plugins:`.
std::string yamlHeader(const std::string& logLevel = "information", int shutdownGraceMs = 5000);

/// A `databases:` entry (indented for the map) for a SQLite file `name`.sqlite3 next to the YAML.
std::string yamlDatabase(const std::string& name, int poolSize = 8);

}  // namespace micro_order::testing
