#include "idle_connections.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

namespace micro_order::bench {
namespace {

using Clock = std::chrono::steady_clock;

/// A connection being set up: connecting, then sending its request, then reading the answer.
struct Pending {
    std::string out;  ///< request bytes not sent yet
    std::string in;   ///< response bytes so far
};

/// True once `in` holds a whole response; `ok` tells whether it was a 2xx.
bool responseComplete(const std::string& in, bool& ok) {
    const auto headEnd = in.find("\r\n\r\n");
    if (headEnd == std::string::npos) {
        return false;
    }
    ok = in.size() > 12 && in.compare(0, 5, "HTTP/") == 0 && in[9] == '2';
    std::size_t length = 0;
    for (auto at = in.find("\r\n"); at < headEnd; at = in.find("\r\n", at + 2)) {
        constexpr const char kName[] = "content-length:";
        if (::strncasecmp(in.c_str() + at + 2, kName, sizeof kName - 1) == 0) {
            length = std::strtoul(in.c_str() + at + 2 + sizeof kName - 1, nullptr, 10);
        }
    }
    return in.size() >= headEnd + 4 + length;
}

}  // namespace

long raiseDescriptorLimit() {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    return static_cast<long>(limit.rlim_cur);
}

IdleConnections::IdleConnections(const HttpTarget& target, int count, const std::string& path,
                                 std::chrono::milliseconds timeout, int inFlight)
    : epoll_(epoll_create1(EPOLL_CLOEXEC)) {
    if (epoll_ < 0) {
        throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(target.port);
    if (inet_pton(AF_INET, target.host == "localhost" ? "127.0.0.1" : target.host.c_str(), &address.sin_addr) != 1) {
        throw std::invalid_argument("idle connections need an IPv4 loopback address, not " + target.host);
    }
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + target.host + "\r\n\r\n";
    const auto began = Clock::now();
    const auto deadline = began + timeout;
    std::unordered_map<int, Pending> pending;
    int started = 0;
    auto drop = [&](int fd) {
        epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
        close(fd);
        pending.erase(fd);
        ++failed_;
    };
    while ((started < count || !pending.empty()) && Clock::now() < deadline) {
        while (started < count && static_cast<int>(pending.size()) < inFlight) {
            ++started;
            const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                ++failed_;  // out of descriptors: the report shows it
                continue;
            }
            if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
                close(fd);
                ++failed_;
                continue;
            }
            epoll_event event{};
            event.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
            event.data.fd = fd;
            epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
            pending[fd].out = request;
        }
        epoll_event events[256];
        const int ready = epoll_wait(epoll_, events, 256, 100);
        for (int i = 0; i < ready; ++i) {
            const int fd = events[i].data.fd;
            auto it = pending.find(fd);
            if (it == pending.end()) {
                continue;  // an idle one that the server closed already: stillOpen() counts it
            }
            Pending& connection = it->second;
            if (events[i].events & EPOLLERR) {
                drop(fd);
                continue;
            }
            if ((events[i].events & EPOLLOUT) && !connection.out.empty()) {
                const ssize_t sent = send(fd, connection.out.data(), connection.out.size(), MSG_NOSIGNAL);
                if (sent < 0 && errno != EAGAIN) {
                    drop(fd);
                    continue;
                }
                connection.out.erase(0, sent > 0 ? static_cast<std::size_t>(sent) : 0);
                if (connection.out.empty()) {
                    epoll_event event{};
                    event.events = EPOLLIN | EPOLLRDHUP;
                    event.data.fd = fd;
                    epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &event);
                }
            }
            if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) {
                char buffer[16384];
                const ssize_t got = recv(fd, buffer, sizeof buffer, 0);
                if (got == 0 || (got < 0 && errno != EAGAIN)) {
                    drop(fd);
                    continue;
                }
                if (got > 0) {
                    connection.in.append(buffer, static_cast<std::size_t>(got));
                }
                bool ok = false;
                if (responseComplete(connection.in, ok)) {
                    pending.erase(it);
                    if (ok) {
                        idle_.push_back(fd);  // stays in the epoll set: a close shows up in stillOpen()
                    } else {
                        epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
                        close(fd);
                        ++failed_;
                    }
                }
            }
        }
    }
    for (auto& [fd, connection] : pending) {  // still unanswered at the deadline
        close(fd);
        ++failed_;
    }
    failed_ += count - started;
    openSeconds_ = std::chrono::duration<double>(Clock::now() - began).count();
}

IdleConnections::~IdleConnections() {
    for (const int fd : idle_) {
        close(fd);
    }
    if (epoll_ >= 0) {
        close(epoll_);
    }
}

int IdleConnections::stillOpen() {
    // An idle connection is readable only when the server closed it (or, wrongly, wrote to it).
    std::vector<epoll_event> events(idle_.size() + 1);
    const int ready = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 0);
    return held() - std::max(ready, 0);
}

}  // namespace micro_order::bench
