#include "http/tls_tunnel.hpp"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <stdexcept>

#include "http/connection.hpp"
#include "http/listener_state.hpp"

namespace micro_order::host {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;
using tcp = net::ip::tcp;

std::unique_ptr<ssl::context> makeTlsContext(const ListenAddress& address) {
    auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    // An idle keep-alive connection then holds no 16 KiB record buffers.
    SSL_CTX_set_mode(context->native_handle(), SSL_MODE_RELEASE_BUFFERS);
    const std::string where = "listener " + address.host + ":" + std::to_string(address.port) + ": ";
    try {
        context->use_certificate_chain_file(address.tlsCertificate);
    } catch (const boost::system::system_error& error) {
        throw std::runtime_error(where + "cannot load TLS certificate " + address.tlsCertificate + ": " +
                                 error.code().message());
    }
    try {
        context->use_private_key_file(address.tlsKey, ssl::context::pem);
    } catch (const boost::system::system_error& error) {
        throw std::runtime_error(where + "cannot load TLS key " + address.tlsKey + ": " + error.code().message());
    }
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
        throw std::runtime_error(where + "TLS key " + address.tlsKey + " does not match the certificate");
    }
    return context;
}

TlsTunnel::TlsTunnel(tcp::socket socket, ssl::context& context, std::shared_ptr<ListenerState> listener)
    : listener_(std::move(listener)),
      tls_(std::move(socket), context),
      plain_(tls_.get_executor()),
      handshakeTimer_(tls_.get_executor()),
      sendTimer_(tls_.get_executor()) {
    // Counted as open while it handshakes; the Connection counts itself from then on.
    listener_->metrics.connectionOpened();
}

TlsTunnel::~TlsTunnel() {
    if (handshaking_) {
        listener_->metrics.connectionClosed();
    }
}

void TlsTunnel::start() {
    error_code ignored;
    tls_.next_layer().set_option(tcp::no_delay(true), ignored);
    if (listener_->draining.load(std::memory_order_relaxed)) {
        close();
        return;
    }
    handshakeTimer_.expires_after(std::chrono::milliseconds(listener_->settings.headerTimeoutMs));
    handshakeTimer_.async_wait([self = shared_from_this()](const error_code& error) {
        if (!error && self->handshaking_) {
            self->timedOut_ = true;
            self->listener_->metrics.timedOut(TimeoutKind::TlsHandshake);
            self->close();  // cancels the handshake
        }
    });
    tls_.async_handshake(ssl::stream_base::server,
                         [self = shared_from_this()](const error_code& error) { self->onHandshake(error); });
}

void TlsTunnel::onHandshake(const error_code& error) {
    handshakeTimer_.cancel();
    if (error || closed_) {
        close();  // not TLS, a bad client hello, or cut by the deadline
        return;
    }
    net::local::stream_protocol::socket connectionEnd(tls_.get_executor());
    error_code pairError;
    net::local::connect_pair(plain_, connectionEnd, pairError);
    if (pairError) {
        listener_->logger.warning("TLS: cannot make a socket pair: %s", pairError.message());
        close();
        return;
    }
    // The Connection reads a TCP socket; a stream socket pair behaves alike for what it does
    // (no_delay fails on it and is ignored).
    tcp::socket socket(tls_.get_executor());
    error_code assignError;
    socket.assign(tcp::v4(), connectionEnd.release(), assignError);
    if (assignError) {
        close();
        return;
    }
    handshaking_ = false;
    listener_->metrics.connectionClosed();  // the Connection counts it from here
    auto connection = std::make_shared<Connection>(std::move(socket), listener_);
    connection->start();
    readClient();
    readConnection();
}

void TlsTunnel::readClient() {
    tls_.async_read_some(net::buffer(fromClient_),
                         [self = shared_from_this()](const error_code& error, std::size_t size) {
                             if (error || self->closed_) {
                                 self->close();  // the client left: the Connection sees the end of its stream
                                 return;
                             }
                             net::async_write(self->plain_, net::buffer(self->fromClient_.data(), size),
                                              [self](const error_code& writeError, std::size_t) {
                                                  if (writeError || self->closed_) {
                                                      self->close();
                                                      return;
                                                  }
                                                  self->readClient();
                                              });
                         });
}

void TlsTunnel::readConnection() {
    plain_.async_read_some(
        net::buffer(toClient_), [self = shared_from_this()](const error_code& error, std::size_t size) {
            if (error || self->closed_) {
                self->close();  // the Connection closed: so does the client's
                return;
            }
            self->sendTimer_.expires_after(std::chrono::milliseconds(self->listener_->settings.sendTimeoutMs));
            self->sendTimer_.async_wait([self](const error_code& timerError) {
                if (!timerError) {
                    self->listener_->metrics.timedOut(TimeoutKind::Send);
                    self->close();
                }
            });
            net::async_write(self->tls_, net::buffer(self->toClient_.data(), size),
                             [self](const error_code& writeError, std::size_t) {
                                 self->sendTimer_.cancel();
                                 if (writeError || self->closed_) {
                                     self->close();
                                     return;
                                 }
                                 self->readConnection();
                             });
        });
}

void TlsTunnel::close() {
    if (closed_) {
        return;
    }
    closed_ = true;
    error_code ignored;
    handshakeTimer_.cancel();
    sendTimer_.cancel();
    // No close_notify: the peer may not read it, and a TCP close ends the stream for HTTP/1.1
    // framing (every answer has a Content-Length).
    tls_.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
    tls_.next_layer().close(ignored);
    plain_.close(ignored);
}

}  // namespace micro_order::host
