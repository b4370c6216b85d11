#include "http/raw_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace micro_order::testing {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what + ": " + std::strerror(errno)); }

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

/// -1 when `text` is not a whole non-negative number in `base`.
long long parseNumber(const std::string& text, int base) {
    if (text.empty()) {
        return -1;
    }
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text.c_str(), &end, base);
    return (errno != 0 || *end != '\0' || value < 0) ? -1 : value;
}

int connectTo(unsigned short port, int receiveBuffer) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fail("socket");
    }
    if (receiveBuffer > 0 && ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer) != 0) {
        ::close(fd);
        fail("SO_RCVBUF");
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        const int error = errno;
        ::close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

}  // namespace

std::string RawResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (equalsIgnoringCase(key, name)) {
            return value;
        }
    }
    return {};
}

bool RawResponse::hasHeader(std::string_view name) const {
    for (const auto& header : headers) {
        if (equalsIgnoringCase(header.first, name)) {
            return true;
        }
    }
    return false;
}

RawConnection::RawConnection(unsigned short port, int receiveBuffer) : fd_(connectTo(port, receiveBuffer)) {
    if (fd_ < 0) {
        fail("connect to 127.0.0.1:" + std::to_string(port));
    }
}

std::optional<RawConnection> RawConnection::tryConnect(unsigned short port) {
    const int fd = connectTo(port, 0);
    if (fd < 0) {
        if (errno == ECONNREFUSED) {
            return std::nullopt;
        }
        fail("connect to 127.0.0.1:" + std::to_string(port));
    }
    return RawConnection(fd);
}

RawConnection::~RawConnection() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), buffer_(std::move(other.buffer_)) {}

RawConnection& RawConnection::operator=(RawConnection&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = std::exchange(other.fd_, -1);
        buffer_ = std::move(other.buffer_);
    }
    return *this;
}

void RawConnection::send(std::string_view bytes) {
    if (!trySend(bytes)) {
        fail("send");
    }
}

bool RawConnection::trySend(std::string_view bytes, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!bytes.empty()) {
        const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent >= 0) {
            bytes.remove_prefix(static_cast<std::size_t>(sent));
            continue;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EAGAIN) {
            return false;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd watched{fd_, POLLOUT, 0};
        if (left.count() <= 0 || ::poll(&watched, 1, static_cast<int>(left.count())) == 0) {
            return false;
        }
    }
    return true;
}

void RawConnection::shutdownSend() { ::shutdown(fd_, SHUT_WR); }

long RawConnection::receiveMore(Clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            return -2;
        }
        pollfd watched{fd_, POLLIN, 0};
        const int ready = ::poll(&watched, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            return -2;
        }
        char chunk[65536];
        const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            return -1;
        }
        buffer_.append(chunk, static_cast<std::size_t>(got));
        return got;
    }
}

std::optional<RawResponse> RawConnection::readResponse(std::chrono::milliseconds timeout, bool toHead) {
    const auto deadline = Clock::now() + timeout;
    std::size_t headEnd;
    while ((headEnd = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (receiveMore(deadline) <= 0) {
            return std::nullopt;
        }
    }
    RawResponse response;
    response.head = buffer_.substr(0, headEnd);
    std::size_t lineEnd = response.head.find("\r\n");
    const std::string statusLine = response.head.substr(0, lineEnd);
    const auto space = statusLine.find(' ');
    response.version = statusLine.substr(0, space);
    response.status = space == std::string::npos ? 0 : std::atoi(statusLine.c_str() + space + 1);
    while (lineEnd != std::string::npos && lineEnd < response.head.size()) {
        const std::size_t begin = lineEnd + 2;
        lineEnd = response.head.find("\r\n", begin);
        const std::string line = response.head.substr(begin, lineEnd == std::string::npos ? lineEnd : lineEnd - begin);
        const auto colon = line.find(':');
        std::string value = colon == std::string::npos ? std::string() : line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        value.erase(value.find_last_not_of(" \t") + 1);
        response.headers.emplace_back(line.substr(0, colon), value);
    }
    std::size_t at = headEnd + 4;
    const bool bodiless = toHead || response.status < 200 || response.status == 204 || response.status == 304;
    const bool chunked = response.header("Transfer-Encoding").find("chunked") != std::string::npos;
    const long long length = parseNumber(response.header("Content-Length"), 10);
    if (bodiless) {
    } else if (chunked) {
        for (;;) {
            std::size_t sizeEnd;
            while ((sizeEnd = buffer_.find("\r\n", at)) == std::string::npos) {
                if (receiveMore(deadline) <= 0) {
                    return std::nullopt;
                }
            }
            std::string sizeText = buffer_.substr(at, sizeEnd - at);
            sizeText = sizeText.substr(0, sizeText.find(';'));
            const long long size = parseNumber(sizeText, 16);
            if (size < 0) {
                throw std::runtime_error("bad chunk size in response: " + sizeText);
            }
            const std::size_t dataEnd = sizeEnd + 2 + static_cast<std::size_t>(size);
            if (size == 0) {  // no trailers expected: the last chunk ends with an empty line
                while (buffer_.size() < dataEnd + 2) {
                    if (receiveMore(deadline) <= 0) {
                        return std::nullopt;
                    }
                }
                at = dataEnd + 2;
                break;
            }
            while (buffer_.size() < dataEnd + 2) {
                if (receiveMore(deadline) <= 0) {
                    return std::nullopt;
                }
            }
            response.body.append(buffer_, sizeEnd + 2, static_cast<std::size_t>(size));
            at = dataEnd + 2;
        }
    } else if (length >= 0) {
        while (buffer_.size() < at + static_cast<std::size_t>(length)) {
            if (receiveMore(deadline) <= 0) {
                return std::nullopt;
            }
        }
        response.body = buffer_.substr(at, static_cast<std::size_t>(length));
        at += static_cast<std::size_t>(length);
    } else {  // delimited by the end of the connection
        long got;
        while ((got = receiveMore(deadline)) > 0) {
        }
        if (got == -2) {
            return std::nullopt;
        }
        response.body = buffer_.substr(at);
        at = buffer_.size();
    }
    buffer_.erase(0, at);
    return response;
}

PeerClose RawConnection::waitForClose(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const long got = receiveMore(deadline);
        if (got == 0) {
            return PeerClose::Eof;
        }
        if (got == -1) {
            return PeerClose::Reset;
        }
        if (got == -2) {
            return PeerClose::StillOpen;
        }
    }
}

std::string getRequest(const std::string& path, const std::string& extraHeaders) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n";
}

}  // namespace micro_order::testing
