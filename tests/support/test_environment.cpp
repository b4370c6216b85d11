#include "support/test_environment.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>

namespace micro_order::testing {
namespace {

std::string required(const char* name) {
    const char* value = std::getenv(name);
    if (!value || !*value) {
        throw std::runtime_error(std::string("environment variable ") + name +
                                 " is not set: run this test through ctest (tests/CMakeLists.txt sets "
                                 "MICRO_ORDER_TEST_ENV)");
    }
    return value;
}

}  // namespace

std::string hostBinary() { return required("MICRO_ORDER_HOST_BINARY"); }

std::string ctlBinary() { return required("MICRO_ORDER_CTL_BINARY"); }

std::string pluginDir() { return required("MICRO_ORDER_PLUGIN_DIR"); }

std::string amqpUrl() { return required("MICRO_ORDER_TEST_AMQP_URL"); }

std::string sourceDir() { return required("MICRO_ORDER_SOURCE_DIR"); }

unsigned short freePort() {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), false);
    const unsigned short port = socket.address().port();
    socket.close();
    return port;
}

std::string uniqueName(const std::string& prefix) {
    static std::atomic<unsigned> counter{0};
    static const unsigned salt = std::random_device{}();
    return prefix + "." + std::to_string(::getpid()) + "." + std::to_string(counter++) + "." +
           std::to_string(salt % 100000);
}

}  // namespace micro_order::testing
