#pragma once

// A TCP connection to the host driven byte by byte, for what an HTTP client library cannot
// send or will not show: requests without Host, pipelined requests, trickled heads, invented
// methods, a socket that never reads, the exact bytes of a response head.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace micro_order::testing {

/// One HTTP response as it came over the wire.
struct RawResponse {
    std::string version;  ///< "HTTP/1.1"
    int status = 0;
    std::string head;  ///< status line and header lines exactly as received, up to the blank line
    std::vector<std::pair<std::string, std::string>> headers;  ///< in order, names as sent
    std::string body;                                          ///< de-chunked

    /// The first value of header `name` (any case), or an empty string.
    std::string header(std::string_view name) const;
    bool hasHeader(std::string_view name) const;
};

/// How a wait for the peer to close ended.
enum class PeerClose { Eof, Reset, StillOpen };

/// A blocking loopback socket with a read buffer; every wait is bounded. Move-only; the
/// destructor closes it.
class RawConnection {
public:
    /// Connects to 127.0.0.1:`port`; throws when it cannot. `receiveBuffer` > 0 sets SO_RCVBUF
    /// before connecting (so the window the server sees is small from the start).
    explicit RawConnection(unsigned short port, int receiveBuffer = 0);
    /// nullopt when the connection is refused (nothing listens); throws on other errors.
    static std::optional<RawConnection> tryConnect(unsigned short port);
    ~RawConnection();
    RawConnection(RawConnection&& other) noexcept;
    RawConnection& operator=(RawConnection&& other) noexcept;
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    int fd() const { return fd_; }

    /// Sends every byte; throws when the connection fails or the peer does not take them in 10 s.
    void send(std::string_view bytes);
    /// Sends every byte; false when the peer closed or reset the connection, or when it did not
    /// take them all within `timeout` (it stopped reading).
    bool trySend(std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// Reads one response; nullopt when the connection closes or `timeout` passes first (what
    /// arrived stays in pending()). `toHead`: the response to a HEAD request (no body).
    std::optional<RawResponse> readResponse(std::chrono::milliseconds timeout, bool toHead = false);
    /// Waits for the peer to close, keeping what arrives in pending().
    PeerClose waitForClose(std::chrono::milliseconds timeout);
    /// Bytes received and not consumed by readResponse.
    const std::string& pending() const { return buffer_; }

    /// Half-closes the sending side (FIN): "no more requests".
    void shutdownSend();

private:
    explicit RawConnection(int fd) : fd_(fd) {}
    /// Appends what arrives within `timeout`; 0 on EOF, -1 on reset, -2 on timeout.
    long receiveMore(std::chrono::steady_clock::time_point deadline);

    int fd_ = -1;
    std::string buffer_;
};

/// `GET path HTTP/1.1` with Host and the extra header lines given (each ending in CRLF).
std::string getRequest(const std::string& path, const std::string& extraHeaders = "");

}  // namespace micro_order::testing
