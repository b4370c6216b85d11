#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>  // before Asio/Beast, see io_loops.hpp

#include "host_config.hpp"
#include "http/io_loops.hpp"
#include "http/router.hpp"
#include "metrics_registry.hpp"

namespace micro_order::host {

struct ListenerState;
class AcceptLoop;

/// One HTTP listener: a bound socket whose connections run on the shared event loops, a worker
/// pool for its handlers and the router of the plugin instance that owns the address. Renders
/// every error as `{"detail": ...}` JSON.
class HttpListener {
public:
    /// Binds at once, so a taken port fails start-up before any plugin runs; accepts only
    /// after start(). Requests are counted and timed in `metrics` under the `instance` label.
    /// `inheritedFd` >= 0: a listening socket from the service manager (socket activation) is
    /// used instead of binding, and left listening at the stop.
    HttpListener(IoLoops& loops, const ListenAddress& address, const HttpSettings& settings, Poco::Logger& logger,
                 MetricsRegistry& metrics, const std::string& instance, int inheritedFd = -1);
    ~HttpListener();

    HttpRouter& router();
    const ListenAddress& address() const { return address_; }

    void start();
    /// SIGHUP: reads the tokens file again (auth.tokens_file), if the listener has one.
    void reloadTokens();
    /// Stops accepting, closes idle connections at once, lets requests in flight finish for up
    /// to `grace` (each answer then says `Connection: close`), then closes what is left and
    /// waits for the handlers still running. Returns false when the grace period ran out.
    bool stop(std::chrono::milliseconds grace);

private:
    ListenAddress address_;
    std::shared_ptr<ListenerState> state_;
    std::shared_ptr<AcceptLoop> acceptor_;
    bool running_ = false;
    bool stopped_ = false;
};

}  // namespace micro_order::host
