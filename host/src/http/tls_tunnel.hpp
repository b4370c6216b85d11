#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <utility>  // before Asio, see io_loops.hpp

#include "host_config.hpp"

namespace micro_order::host {

struct ListenerState;

/// The TLS server context of a listener with `tls: {certificate, key}`: TLS 1.2 and later only.
/// Throws (naming the file) when the certificate or key cannot be loaded.
std::unique_ptr<boost::asio::ssl::context> makeTlsContext(const ListenAddress& address);

/// HTTPS without touching the HTTP connection code: the TLS side of one client connection.
/// It does the handshake (cut at header_timeout_ms, counted as timeouts kind="tls_handshake"),
/// then hands the plain end of a socket pair to an ordinary Connection and relays bytes between
/// the two: decrypted requests in, encrypted answers out. Each direction holds one 8 KiB
/// buffer (and OpenSSL frees its record buffers while idle), so a slow reader on either side stops the relay rather
/// than growing memory, and every deadline of the Connection (idle, header, body, send) still applies to what the relay
/// delivers. An answer the client does not take within send_timeout_ms ends the connection.
class TlsTunnel : public std::enable_shared_from_this<TlsTunnel> {
public:
    TlsTunnel(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& context,
              std::shared_ptr<ListenerState> listener);
    ~TlsTunnel();

    /// On the socket's loop.
    void start();

private:
    using Buffer = std::array<char, 8 * 1024>;

    void onHandshake(const boost::system::error_code& error);
    void readClient();
    void readConnection();
    void close();

    std::shared_ptr<ListenerState> listener_;
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket> tls_;
    boost::asio::local::stream_protocol::socket plain_;  ///< the relay's end of the pair
    boost::asio::steady_timer handshakeTimer_;
    boost::asio::steady_timer sendTimer_;
    bool handshaking_ = true;
    bool timedOut_ = false;
    bool closed_ = false;
    Buffer fromClient_{};
    Buffer toClient_{};
};

}  // namespace micro_order::host
