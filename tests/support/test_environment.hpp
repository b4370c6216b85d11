#pragma once

#include <string>

namespace micro_order::testing {

// What ctest passes every integration test (MICRO_ORDER_TEST_ENV in tests/CMakeLists.txt). Each
// throws when its variable is unset: a test that cannot find the host must fail, never skip.

/// MICRO_ORDER_HOST_BINARY: the micro-order-host executable of this build.
std::string hostBinary();
/// MICRO_ORDER_CTL_BINARY: the micro-order-ctl executable of this build.
std::string ctlBinary();
/// MICRO_ORDER_PLUGIN_DIR: the build's plugins folder (test_*.so live there too).
std::string pluginDir();
/// MICRO_ORDER_TEST_AMQP_URL: the broker, in this run's own vhost.
std::string amqpUrl();
/// MICRO_ORDER_SOURCE_DIR: the top of the source tree.
std::string sourceDir();

/// A TCP port on 127.0.0.1 that was free a moment ago, below the kernel's ephemeral range (so no
/// outgoing connection takes it before the test's server binds it).
unsigned short freePort();

/// A name no other test of this run uses: `prefix.<pid>.<counter>.<random>`, for queues,
/// exchanges and files in the shared vhost.
std::string uniqueName(const std::string& prefix);

}  // namespace micro_order::testing
