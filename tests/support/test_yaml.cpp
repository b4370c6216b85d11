#include "support/test_yaml.hpp"

#include "support/test_environment.hpp"

namespace micro_order::testing {

std::string yamlHeader(const std::string& logLevel, int shutdownGraceMs) {
    return "plugin_path: " + pluginDir() +
           "\n"
           "log_level: " +
           logLevel +
           "\n"
           "shutdown_grace_ms: " +
           std::to_string(shutdownGraceMs) +
           "\n"
           "broker:\n"
           "  url: " +
           amqpUrl() +
           "\n"
           "  heartbeat_s: 30\n"
           "  reconnect:\n"
           "    initial_delay_ms: 50\n"
           "    max_delay_ms: 500\n";
}

std::string yamlDatabase(const std::string& name, int poolSize) {
    return "  " + name + ":\n    path: " + name + ".sqlite3\n    pool_size: " + std::to_string(poolSize) + "\n";
}

}  // namespace micro_order::testing
