#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "host_config.hpp"

namespace micro_order::host {

/// The sockets the service manager passed do not fit the YAML: a configuration error (exit 78,
/// which the units do not restart on).
struct SocketActivationError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A listening TCP socket the service manager passed (systemd socket activation), with the
/// address it is bound to.
struct InheritedSocket {
    int fd = -1;
    std::string host;  ///< numeric, as getsockname reports it (e.g. 127.0.0.1, ::1)
    unsigned short port = 0;
};

/// Takes the sockets of LISTEN_FDS/LISTEN_PID (sd_listen_fds) and unsets those variables so
/// nothing the host starts inherits them. Empty when the host was not socket-activated. Throws
/// SocketActivationError naming the descriptor when one is not a listening TCP socket.
std::vector<InheritedSocket> takeInheritedSockets();

/// Which inherited descriptor each listener uses, by instance name. The socket unit and the YAML
/// must name the same addresses: throws SocketActivationError listing every listener without a
/// socket and every socket no listener uses, each with its address.
std::map<std::string, int> matchInheritedSockets(const std::map<std::string, ListenAddress>& listeners,
                                                 const std::vector<InheritedSocket>& sockets);

/// What the host's start calls: the inherited descriptor of each listener, by instance name,
/// checked with matchInheritedSockets; empty when the host was started without sockets (each
/// listener then binds its own address).
std::map<std::string, int> listenersFromServiceManager(const HostConfig& config);

}  // namespace micro_order::host
