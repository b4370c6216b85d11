#pragma once

// The YAML of a host running the test_echo plugin as a consumer of its own queue, and the rows
// it stored: what the messaging tests share.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/http_client.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {

inline std::string echoConsumerYaml(unsigned short port, const std::string& queue, const std::string& exchange,
                                    int prefetch, const std::string& logLevel = "information") {
    return yamlHeader(logLevel) + "databases:\n" + yamlDatabase("echo") +
           "plugins:\n"
           "  - name: echo\n"
           "    library: test_echo\n"
           "    database: echo\n"
           "    listen: 127.0.0.1:" +
           std::to_string(port) +
           "\n"
           "    config:\n"
           "      consume_queue: " +
           queue +
           "\n"
           "      consume_exchange: " +
           exchange +
           "\n"
           "      consume_routing_key: echo\n"
           "      prefetch: " +
           std::to_string(prefetch) + "\n";
}

/// The bodies of the rows the echo host on `port` stored from `source` ("amqp" or "http").
inline std::vector<std::string> echoRows(unsigned short port, const std::string& source) {
    const HttpResult result = httpRequest(port, "GET", "/rows/?source=" + source);
    EXPECT_EQ(result.status, 200) << result.body;
    std::vector<std::string> bodies;
    const Poco::JSON::Array::Ptr array = jsonArray(result.body);  // named: it must outlive the loop
    for (const auto& value : *array) {
        bodies.push_back(value.toString());
    }
    return bodies;
}

}  // namespace micro_order::testing
