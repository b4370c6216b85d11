#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "host_config.hpp"
#include "http/access_control.hpp"
#include "http/listener_metrics.hpp"
#include "http/router.hpp"
#include "http/worker_pool.hpp"

namespace micro_order::host {

class Connection;
}  // namespace micro_order::host
namespace boost::asio::ssl {
class context;
}
namespace micro_order::host {

/// What the connections of one listener share: settings, routes, workers, metrics, and the
/// register of live connections that a drain walks. Held by shared_ptr by the listener and by
/// every connection, so a callback still queued on a loop never outlives it.
struct ListenerState {
    ListenerState(const ListenAddress& address, const HttpSettings& settings, Poco::Logger& logger,
                  MetricsRegistry& registry, const std::string& instance);
    ~ListenerState();

    const HttpSettings settings;
    const std::string publicUrl;  ///< Request::baseUrl
    /// `tls:`: the TLS context every connection's handshake uses; null for plain HTTP.
    std::unique_ptr<boost::asio::ssl::context> tls;
    AccessControl access;  ///< allowed_hosts and bearer tokens
    Poco::Logger& logger;
    HttpRouter router;
    WorkerPool workers;
    ListenerMetrics metrics;
    /// Set when the host stops: answers say `Connection: close`, idle connections close.
    std::atomic<bool> draining{false};

    void add(const std::shared_ptr<Connection>& connection);
    void remove(Connection* connection);
    std::vector<std::shared_ptr<Connection>> liveConnections();
    /// Waits until no connection is left or `deadline` passes; true when none is left.
    bool waitUntilClosed(std::chrono::steady_clock::time_point deadline);

private:
    std::mutex mutex_;
    std::condition_variable closed_;
    std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;
};

}  // namespace micro_order::host
