#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <memory>

#include "host_config.hpp"
#include "http_router.hpp"
#include "metrics_registry.hpp"

namespace micro_order::host {

/// One HTTP listener: a bound socket, a worker pool and the router of the plugin instance that
/// owns the address. Renders every error as `{"detail": ...}` JSON.
class HttpListener {
public:
    /// Binds at once, so a taken port fails start-up before any plugin runs; accepts only
    /// after start().
    /// Requests are counted and timed in `metrics` under the `instance` label.
    HttpListener(const ListenAddress& address, const HttpSettings& settings, Poco::Logger& logger,
                 MetricsRegistry& metrics, const std::string& instance);
    ~HttpListener();

    HttpRouter& router() { return router_; }
    const ListenAddress& address() const { return address_; }

    void start();
    /// Stops accepting, lets requests in flight finish for up to `grace`, closes idle
    /// keep-alive connections. Returns false when the grace period ran out.
    bool stop(std::chrono::milliseconds grace);

private:
    ListenAddress address_;
    HttpRouter router_;
    std::unique_ptr<Poco::ThreadPool> threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    bool running_ = false;
};

}  // namespace micro_order::host
