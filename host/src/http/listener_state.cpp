#include "http/listener_state.hpp"

#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "http/tls_tunnel.hpp"

namespace micro_order::host {

ListenerState::ListenerState(const ListenAddress& address, const HttpSettings& settings, Poco::Logger& logger,
                             MetricsRegistry& registry, const std::string& instance)
    : settings(settings),
      publicUrl(address.publicUrl),
      tls(address.tlsCertificate.empty() ? nullptr : makeTlsContext(address)),
      access(address),
      logger(logger),
      workers(instance, settings.workerThreads, settings.workerQueue),
      metrics(registry, instance, [queued = workers.queuedCounter()] {
          return static_cast<double>(queued->load(std::memory_order_relaxed));
      }) {}

ListenerState::~ListenerState() = default;

void ListenerState::add(const std::shared_ptr<Connection>& connection) {
    std::lock_guard lock(mutex_);
    connections_.emplace(connection.get(), connection);
}

void ListenerState::remove(Connection* connection) {
    {
        std::lock_guard lock(mutex_);
        connections_.erase(connection);
    }
    closed_.notify_all();
}

std::vector<std::shared_ptr<Connection>> ListenerState::liveConnections() {
    std::vector<std::shared_ptr<Connection>> live;
    std::lock_guard lock(mutex_);
    live.reserve(connections_.size());
    for (const auto& [pointer, weak] : connections_) {
        if (auto connection = weak.lock()) {
            live.push_back(std::move(connection));
        }
    }
    return live;
}

bool ListenerState::waitUntilClosed(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return closed_.wait_until(lock, deadline, [this] { return connections_.empty(); });
}

}  // namespace micro_order::host
