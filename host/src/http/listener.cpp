#include "http/listener.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <future>
#include <stdexcept>

#include "http/connection.hpp"
#include "http/listener_state.hpp"
#include "http/tls_tunnel.hpp"

namespace micro_order::host {

namespace net = boost::asio;
using boost::system::error_code;
using tcp = net::ip::tcp;

/// Accepts connections for one listener and hands each to a loop in turn. At max_connections
/// a new connection is closed at once (counted); out of descriptors (EMFILE, ENFILE) it pauses
/// instead of giving up, since connections closing will free some.
class AcceptLoop : public std::enable_shared_from_this<AcceptLoop> {
public:
    AcceptLoop(IoLoops& loops, const ListenAddress& address, std::shared_ptr<ListenerState> state, int inheritedFd)
        : loops_(loops), state_(std::move(state)), acceptor_(loops.next()), pause_(acceptor_.get_executor()) {
        try {
            const tcp::endpoint endpoint(net::ip::make_address(address.host), address.port);
            if (inheritedFd >= 0) {
                // The service manager's socket, already bound and listening. Closing it at the
                // stop closes this process's descriptor only: the manager keeps the socket, and
                // the kernel queues new connections for the next host instead of refusing them.
                acceptor_.assign(endpoint.protocol(), inheritedFd);
                return;
            }
            acceptor_.open(endpoint.protocol());
            acceptor_.set_option(tcp::acceptor::reuse_address(true));
            acceptor_.bind(endpoint);
            acceptor_.listen(net::socket_base::max_listen_connections);
        } catch (const boost::system::system_error& error) {
            throw std::runtime_error("cannot listen on " + address.host + ":" + std::to_string(address.port) + ": " +
                                     error.code().message());
        }
    }

    void start() {
        net::post(acceptor_.get_executor(), [self = shared_from_this()] { self->accept(); });
    }

    /// Closing cancels the accept in progress; done on the acceptor's own loop. The future is
    /// ready once no accept is outstanding, so every connection accepted so far is registered.
    std::future<void> stop() {
        auto done = quiet_.get_future();
        net::post(acceptor_.get_executor(), [self = shared_from_this()] {
            error_code ignored;
            self->pause_.cancel();
            self->acceptor_.close(ignored);
            if (!self->acceptPending_) {
                self->quiet();
            }
        });
        return done;
    }

private:
    void accept() {
        if (!acceptor_.is_open()) {
            return;
        }
        acceptPending_ = true;
        acceptor_.async_accept(loops_.next(), [self = shared_from_this()](const error_code& error, tcp::socket socket) {
            self->onAccept(error, std::move(socket));
        });
    }

    void onAccept(const error_code& error, tcp::socket socket) {
        acceptPending_ = false;
        handleAccepted(error, std::move(socket));
        if (!acceptor_.is_open()) {
            quiet();
        }
    }

    void quiet() {
        if (!quietSet_) {
            quietSet_ = true;
            quiet_.set_value();
        }
    }

    void handleAccepted(const error_code& error, tcp::socket socket) {
        // A connection accepted just before the stop closed the acceptor is still served (the
        // drain answers it with `Connection: close`): dropping it would reset a client whose
        // request the kernel already took.
        if (error == net::error::operation_aborted || (error && !acceptor_.is_open())) {
            return;
        }
        if (error) {
            if (error.value() == EMFILE || error.value() == ENFILE || error.value() == ENOBUFS ||
                error.value() == ENOMEM) {
                pauseAccepting(error);
                return;
            }
            accept();  // that one connection failed (ECONNABORTED...): take the next
            return;
        }
        const bool stopping = !acceptor_.is_open();
        if (state_->metrics.openConnections() >= state_->settings.maxConnections) {
            state_->metrics.refused();
            error_code ignored;
            socket.close(ignored);
        } else if (state_->tls) {
            const auto executor = socket.get_executor();
            auto tunnel = std::make_shared<TlsTunnel>(std::move(socket), *state_->tls, state_);
            net::post(executor, [tunnel] { tunnel->start(); });
        } else {
            auto connection = std::make_shared<Connection>(std::move(socket), state_);
            state_->add(connection);  // now, so that a stop under way waits for it
            net::post(connection->executor(), [connection] { connection->start(); });
        }
        if (!stopping) {
            accept();
        }
    }

    void pauseAccepting(const error_code& error) {
        const auto now = std::chrono::steady_clock::now();
        if (now - lastWarning_ > std::chrono::seconds(10)) {
            lastWarning_ = now;
            state_->logger.warning("accept: %s; pausing new connections for 100 ms (open here: %Ld)", error.message(),
                                   static_cast<Poco::Int64>(state_->metrics.openConnections()));
        }
        pause_.expires_after(std::chrono::milliseconds(100));
        pause_.async_wait([self = shared_from_this()](const error_code& waitError) {
            if (!waitError) {
                self->accept();
            }
        });
    }

    IoLoops& loops_;
    std::shared_ptr<ListenerState> state_;
    tcp::acceptor acceptor_;
    net::steady_timer pause_;
    std::chrono::steady_clock::time_point lastWarning_{};
    bool acceptPending_ = false;  ///< an async_accept whose handler has not run yet
    std::promise<void> quiet_;    ///< set once stopped with no accept outstanding
    bool quietSet_ = false;
};

HttpListener::HttpListener(IoLoops& loops, const ListenAddress& address, const HttpSettings& settings,
                           Poco::Logger& logger, MetricsRegistry& metrics, const std::string& instance, int inheritedFd)
    : address_(address),
      state_(std::make_shared<ListenerState>(address, settings, logger, metrics, instance)),
      acceptor_(std::make_shared<AcceptLoop>(loops, address, state_, inheritedFd)) {}

HttpListener::~HttpListener() { stop(std::chrono::milliseconds(0)); }

HttpRouter& HttpListener::router() { return state_->router; }

void HttpListener::start() {
    state_->workers.start();
    acceptor_->start();
    running_ = true;
}

void HttpListener::reloadTokens() { state_->access.reload(state_->logger); }

bool HttpListener::stop(std::chrono::milliseconds grace) {
    if (stopped_) {
        return true;
    }
    stopped_ = true;
    if (!running_) {
        acceptor_->stop();
        return true;
    }
    const auto deadline = std::chrono::steady_clock::now() + grace;
    // Draining before the acceptor closes: a connection accepted meanwhile gets its one request
    // answered with `Connection: close`.
    state_->draining = true;
    acceptor_->stop().wait_until(deadline);
    for (auto& connection : state_->liveConnections()) {
        net::post(connection->executor(), [connection] { connection->drain(); });
    }
    const bool inTime = state_->waitUntilClosed(deadline);
    if (!inTime) {
        for (auto& connection : state_->liveConnections()) {
            net::post(connection->executor(), [connection] { connection->forceClose(); });
        }
    }
    // A handler cannot be interrupted: the ones running finish, the queued ones are dropped.
    state_->workers.stop(inTime);
    // Closed connections go as soon as their loop has run what it holds of them.
    if (!state_->waitUntilClosed(std::chrono::steady_clock::now() + std::chrono::seconds(5))) {
        state_->logger.warning("%z connections still open after the stop", state_->liveConnections().size());
    }
    return inTime;
}

}  // namespace micro_order::host
