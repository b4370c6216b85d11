#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <micro_order/plugin.hpp>
#include <string>
#include <vector>

#include "broker_topology.hpp"
#include "database/host_database.hpp"
#include "http/router.hpp"
#include "log_throttle.hpp"
#include "metrics_registry.hpp"

namespace micro_order::host {

/// A consumer a plugin asked for; the host runs it once every plugin has started.
struct ConsumerRequest {
    std::string instance;
    std::string queue;
    int prefetch;
    MessageHandler handler;
    HostDatabase* database;
};

/// What one plugin instance sees of the host.
///
/// Every handler the plugin registers (HTTP or message) is wrapped at this boundary, so that
/// whatever it throws stays an answer the host knows: something that is not a std::exception
/// is logged once with the instance's name and becomes a 500 (HTTP) or an ordinary handler
/// failure (messages: retried, then dead-lettered). An HTTP handler that fails because its
/// database is full, failing or busy answers 503 with Retry-After, naming the database.
class PluginContext final : public Context, private Broker, private Router, private Metrics {
public:
    /// `metrics` may be null (unit tests): metrics() then throws.
    PluginContext(std::string name, Poco::AutoPtr<Poco::Util::MapConfiguration> config, Router* router,
                  HostDatabase* database, BrokerTopology& topology, std::vector<ConsumerRequest>& consumers,
                  MetricsRegistry* metrics = nullptr);

    const std::string& name() const override { return name_; }
    const Poco::Util::AbstractConfiguration& config() const override { return *config_; }
    Poco::Logger& logger() const override { return logger_; }
    Router& http() override;
    Database& database() override;
    Broker& broker() override { return *this; }
    Metrics& metrics() override;

private:
    void declareExchange(const std::string& name, const std::string& type, bool durable) override;
    void declareQueue(const QueueBinding& binding) override;
    void consume(const std::string& queue, int prefetch, MessageHandler handler) override;
    void add(const std::string& method, const std::string& pathTemplate, Handler handler,
             RouteOptions options) override;
    void gauge(const std::string& name, const std::string& help,
               const std::vector<std::pair<std::string, std::string>>& labels, std::function<double()> read) override;

    std::string name_;
    Poco::AutoPtr<Poco::Util::MapConfiguration> config_;
    Poco::Logger& logger_;
    Router* router_;
    HostDatabase* database_;
    BrokerTopology& topology_;
    std::vector<ConsumerRequest>& consumers_;
    /// Shared by the instance's handlers: a full disk is logged once per interval, not per request.
    std::shared_ptr<LogThrottle> throttle_;
    MetricsRegistry* metrics_;
    /// The plugin's gauge functions (their code lives in its library). The registry holds only
    /// weak references: once this context is gone (before the library is), it reads NaN.
    std::vector<std::shared_ptr<std::function<double()>>> gauges_;
};

}  // namespace micro_order::host
