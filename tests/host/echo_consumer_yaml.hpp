#pragma once

// The YAML of a host running the test_echo plugin as a consumer of its own queue: the fixture
// the messaging tests share.

#include "support/test_yaml.hpp"

#include <string>

namespace micro_order::testing {

inline std::string echoConsumerYaml(unsigned short port, const std::string& queue, const std::string& exchange,
    int prefetch, const std::string& logLevel = "information") {
    return yamlHeader(logLevel) + "databases:\n" + yamlDatabase("echo") +
           "plugins:\n"
           "  - name: echo\n"
           "    library: test_echo\n"
           "    database: echo\n"
           "    listen: 127.0.0.1:" + std::to_string(port) + "\n"
           "    config:\n"
           "      consume_queue: " + queue + "\n"
           "      consume_exchange: " + exchange + "\n"
           "      consume_routing_key: echo\n"
           "      prefetch: " + std::to_string(prefetch) + "\n";
}

}  // namespace micro_order::testing
