#include "socket_activation.hpp"

#include <Poco/Logger.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>

#include <boost/asio/ip/address.hpp>
#include <stdexcept>

namespace micro_order::host {

namespace {

std::string describe(const std::string& host, unsigned short port) {
    return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

InheritedSocket inspect(int fd) {
    // Listening stream sockets of either family; a datagram or unix socket is a unit mistake.
    if (sd_is_socket_inet(fd, AF_UNSPEC, SOCK_STREAM, 1, 0) <= 0) {
        throw SocketActivationError(
            "socket activation: descriptor " + std::to_string(fd) +
            " from the socket unit is not a listening TCP socket (use ListenStream=ADDRESS:PORT)");
    }
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        throw SocketActivationError("socket activation: getsockname on descriptor " + std::to_string(fd) + " failed");
    }
    char text[INET6_ADDRSTRLEN] = {};
    InheritedSocket socket;
    socket.fd = fd;
    if (address.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
        inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
        socket.port = ntohs(v4.sin_port);
    } else {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
        inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
        socket.port = ntohs(v6.sin6_port);
    }
    socket.host = text;
    return socket;
}

/// Same address whatever the spelling (::1 and 0:0:0:0:0:0:0:1); a name that is not a numeric
/// address never matches (the listener would refuse it anyway).
bool sameAddress(const ListenAddress& listen, const InheritedSocket& socket) {
    boost::system::error_code error;
    const auto wanted = boost::asio::ip::make_address(listen.host, error);
    return !error && listen.port == socket.port && wanted == boost::asio::ip::make_address(socket.host, error) &&
           !error;
}

}  // namespace

std::vector<InheritedSocket> takeInheritedSockets() {
    // unset_environment=1: children (and a re-exec) must not think these descriptors are theirs.
    const int count = sd_listen_fds(1);
    if (count < 0) {
        throw SocketActivationError("socket activation: LISTEN_FDS is invalid");
    }
    std::vector<InheritedSocket> sockets;
    for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + count; ++fd) {
        sockets.push_back(inspect(fd));
    }
    return sockets;
}

std::map<std::string, int> matchInheritedSockets(const std::map<std::string, ListenAddress>& listeners,
                                                 const std::vector<InheritedSocket>& sockets) {
    std::map<std::string, int> matched;
    std::vector<bool> used(sockets.size(), false);
    std::string problems;
    for (const auto& [instance, listen] : listeners) {
        bool found = false;
        for (std::size_t i = 0; i < sockets.size() && !found; ++i) {
            if (!used[i] && sameAddress(listen, sockets[i])) {
                used[i] = found = true;
                matched[instance] = sockets[i].fd;
            }
        }
        if (!found) {
            problems += "; listener '" + instance + "' (" + describe(listen.host, listen.port) +
                        ") has no socket from the socket unit: add ListenStream=" + describe(listen.host, listen.port);
        }
    }
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        if (!used[i]) {
            problems += "; the socket unit passes " + describe(sockets[i].host, sockets[i].port) + " (descriptor " +
                        std::to_string(sockets[i].fd) + ") but no listener in the YAML uses it";
        }
    }
    if (!problems.empty()) {
        throw SocketActivationError("socket activation: the socket unit and the YAML disagree" + problems);
    }
    return matched;
}

std::map<std::string, int> listenersFromServiceManager(const HostConfig& config) {
    const auto sockets = takeInheritedSockets();
    if (sockets.empty()) {
        return {};
    }
    std::map<std::string, ListenAddress> listeners;
    for (const auto& plugin : config.plugins) {
        if (plugin.listen) {
            listeners[plugin.name] = *plugin.listen;
        }
    }
    auto matched = matchInheritedSockets(listeners, sockets);
    Poco::Logger::get("host").information("socket activation: %z listening sockets from the service manager",
                                          matched.size());
    return matched;
}

}  // namespace micro_order::host
