#include "support/test_environment.hpp"

#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
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
    // Below the kernel's ephemeral range: a port from bind(0) is an ephemeral one, which any
    // outgoing connection (a host's broker or database client, another test's) may take between
    // this close() and the host's bind(): "Address already in use". Ports below the range are
    // never handed out that way. A random start keeps tests running side by side apart.
    int ephemeralLow = 32768;
    if (std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range"); range) {
        range >> ephemeralLow;
    }
    constexpr int kWindow = 12000;
    const int low = std::max(1024, ephemeralLow - kWindow);
    const int size = ephemeralLow - low;
    static std::mt19937 random{std::random_device{}()};
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    const int start = size > 0 ? static_cast<int>(random() % static_cast<unsigned>(size)) : 0;
    for (int i = 0; i < size; ++i) {
        const auto port = static_cast<unsigned short>(low + (start + i) % size);
        try {
            Poco::Net::ServerSocket socket;
            socket.bind(Poco::Net::SocketAddress("127.0.0.1", port), false);
            socket.close();
            return port;
        } catch (const Poco::Net::NetException&) {
            // taken: the next one
        }
    }
    Poco::Net::ServerSocket socket;  // no room below the range: any free port
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
