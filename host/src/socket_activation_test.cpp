#include "socket_activation.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace micro_order::host {
namespace {

std::string errorOf(const std::map<std::string, ListenAddress>& listeners,
                    const std::vector<InheritedSocket>& sockets) {
    try {
        matchInheritedSockets(listeners, sockets);
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return "";
}

TEST(SocketActivation, EachListenerTakesTheSocketOfItsAddressWhateverTheSpelling) {
    const std::map<std::string, ListenAddress> listeners{{"orders", {"127.0.0.1", 8000, ""}},
                                                         {"docs", {"0:0:0:0:0:0:0:1", 9000, ""}}};
    const std::vector<InheritedSocket> sockets{{3, "::1", 9000}, {4, "127.0.0.1", 8000}};
    const auto matched = matchInheritedSockets(listeners, sockets);
    EXPECT_EQ(matched, (std::map<std::string, int>{{"docs", 3}, {"orders", 4}}));
}

TEST(SocketActivation, AListenerWithoutASocketIsNamedWithItsAddress) {
    const auto error = errorOf({{"orders", {"127.0.0.1", 8000, ""}}, {"shippings", {"127.0.0.1", 8001, ""}}},
                               {{3, "127.0.0.1", 8000}});
    EXPECT_NE(error.find("listener 'shippings' (127.0.0.1:8001) has no socket"), std::string::npos) << error;
    EXPECT_NE(error.find("ListenStream=127.0.0.1:8001"), std::string::npos) << error;
    EXPECT_EQ(error.find("'orders'"), std::string::npos) << error;
}

TEST(SocketActivation, ASocketNoListenerUsesIsNamedWithItsAddress) {
    const auto error = errorOf({{"orders", {"127.0.0.1", 8000, ""}}}, {{3, "127.0.0.1", 8000}, {4, "::1", 8005}});
    EXPECT_NE(error.find("passes [::1]:8005 (descriptor 4) but no listener in the YAML uses it"), std::string::npos)
        << error;
}

TEST(SocketActivation, SamePortOnAnotherAddressIsNotAMatch) {
    const auto error = errorOf({{"orders", {"127.0.0.1", 8000, ""}}}, {{3, "0.0.0.0", 8000}});
    EXPECT_NE(error.find("listener 'orders' (127.0.0.1:8000) has no socket"), std::string::npos) << error;
    EXPECT_NE(error.find("passes 0.0.0.0:8000"), std::string::npos) << error;
}

TEST(SocketActivation, WithoutLiveFdsNothingIsInherited) {
    // LISTEN_PID names another process: the variables are not ours (sd_listen_fds ignores them).
    setenv("LISTEN_FDS", "2", 1);
    setenv("LISTEN_PID", "1", 1);
    EXPECT_TRUE(takeInheritedSockets().empty());
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_PID");
}

}  // namespace
}  // namespace micro_order::host
