#include "tcp_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace micro_order::testing {
namespace {

sockaddr_in loopback(unsigned short port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

}  // namespace

TcpProxy::TcpProxy(unsigned short targetPort) : targetPort_(targetPort) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address = loopback(0);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 64) != 0) {
        throw std::runtime_error("proxy cannot listen");
    }
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { acceptLoop(); });
}

TcpProxy::~TcpProxy() {
    stopping_ = true;
    cut();
    acceptor_.join();
    for (auto& pump : pumps_) {
        pump.join();
    }
    ::close(listener_);
}

void TcpProxy::cut() {
    cut_ = true;
    std::lock_guard lock(mutex_);
    for (int fd : open_) {
        ::shutdown(fd, SHUT_RDWR);
    }
}

void TcpProxy::freeze() { frozen_ = true; }

void TcpProxy::restore() {
    cut_ = false;
    frozen_ = false;
}

void TcpProxy::acceptLoop() {
    while (!stopping_) {
        if (frozen_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        pollfd waiting{listener_, POLLIN, 0};
        if (::poll(&waiting, 1, 50) <= 0) {
            continue;
        }
        const int client = ::accept(listener_, nullptr, nullptr);
        if (client < 0) {
            continue;
        }
        if (cut_) {
            ::close(client);  // the "network" is down: the host sees the connection fail
            continue;
        }
        const int server = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in target = loopback(targetPort_);
        if (::connect(server, reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
            ::close(client);
            ::close(server);
            continue;
        }
        std::lock_guard lock(mutex_);
        open_.push_back(client);
        open_.push_back(server);
        pumps_.emplace_back([this, client, server] { pump(client, server); });
    }
}

void TcpProxy::pump(int client, int server) {
    char buffer[65536];
    pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    bool open = true;
    while (open && !stopping_) {
        if (frozen_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        if (::poll(fds, 2, 100) <= 0) {
            continue;
        }
        for (int i = 0; i < 2 && open; ++i) {
            if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
                if (n <= 0 || ::send(fds[1 - i].fd, buffer, static_cast<size_t>(n), MSG_NOSIGNAL) != n) {
                    open = false;
                }
            }
        }
    }
    std::lock_guard lock(mutex_);
    open_.erase(std::remove_if(open_.begin(), open_.end(), [&](int fd) { return fd == client || fd == server; }),
                open_.end());
    ::close(client);
    ::close(server);
}

}  // namespace micro_order::testing
