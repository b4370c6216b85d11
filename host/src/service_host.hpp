#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "broker_topology.hpp"
#include "database/host_database.hpp"
#include "host_config.hpp"
#include "http/io_loops.hpp"
#include "http/listener.hpp"
#include "message_consumer.hpp"
#include "metrics_registry.hpp"
#include "outbox_relay.hpp"
#include "plugin_context.hpp"
#include "plugin_library.hpp"
#include "service_user.hpp"

namespace micro_order::host {

/// Everything one YAML file describes, brought up and torn down in order.
///
/// start(): bind every listener, drop root for `user:` (listeners bound, nothing else opened
/// yet), open databases (their files must belong to that user), load and check every library,
/// start plugin instances in file order, then let traffic in (listeners, outbox relays,
/// consumers).
/// stop(): the reverse, each step bounded by the grace period.
class ServiceHost {
public:
    explicit ServiceHost(HostConfig config);
    ~ServiceHost();

    /// Throws ConfigError when an instance's `config:` does not fit its plugin's schema.
    void start();
    void stop();

    /// Loads every library the config names, each only after its file passed the trust checks
    /// (PluginLibrary::load), checks its ABI and each instance's `config:` against the plugin's
    /// config schema, creating nothing. Returns one line per problem (empty when all is well);
    /// `loaded` gets one line per library loaded, `notes` one per plugin that declares no schema.
    static std::vector<std::string> checkPlugins(const HostConfig& config, std::vector<std::string>* loaded = nullptr,
                                                 std::vector<std::string>* notes = nullptr);
    /// The problems of `instance`'s `config:` by its library's schema (none without a schema).
    static std::vector<std::string> configProblems(const PluginInstanceSettings& instance,
                                                   const PluginLibrary& library);

    const HostConfig& config() const { return config_; }
    MetricsRegistry& metrics() { return metrics_; }

    /// Applies what the settings catalog says a reload applies (log_level, shutdown_grace_ms),
    /// reads the listeners' token files again, and returns one line per other change, each
    /// naming the setting by its YAML path: those need a restart.
    std::vector<std::string> reload(const HostConfig& next);

    /// What instance `name` can serve now. Unavailable (503 on /readyz) only while the host
    /// drains or when the instance's own database cannot be used (a full disk included); a
    /// broker outage only degrades it: the outbox keeps what it publishes until the broker is
    /// back, so it goes on serving.
    struct Readiness {
        std::vector<std::string> unavailable;  ///< why it cannot serve
        std::vector<std::string> degraded;     ///< what it serves without
    };
    Readiness readiness(const std::string& instance);

    /// For the systemd watchdog: true while every HTTP event loop keeps turning (see
    /// IoLoops::heartbeat). Call it from one thread, between start() and stop().
    bool eventLoopsTurn() { return !ioLoops_ || ioLoops_->heartbeat(); }

private:
    void addHostRoutes(const std::string& instance, HttpRouter& router);
    /// Started as root: becomes `user:` (or warns that there is none). See start().
    void dropPrivileges();
    void registerMessagingMetrics();
    struct Instance {
        const PluginInstanceSettings* settings;
        std::shared_ptr<Plugin> plugin;
        std::unique_ptr<PluginContext> context;
        bool started = false;
    };

    void stopPlugins();

    HostConfig config_;
    Poco::Logger& logger_;
    MetricsRegistry metrics_;
    std::atomic<bool> draining_{false};
    BrokerTopology topology_;
    // Declared so that destruction runs from users to what they use: consumers and routers
    // hold handlers whose code lives in plugin libraries, which instances_ keep loaded.
    std::map<std::string, std::unique_ptr<HostDatabase>> databases_;
    std::vector<Instance> instances_;
    std::unique_ptr<IoLoops> ioLoops_;                                ///< shared by every listener
    std::map<std::string, std::unique_ptr<HttpListener>> listeners_;  ///< by instance name
    std::vector<ConsumerRequest> consumerRequests_;
    std::vector<std::unique_ptr<OutboxRelay>> relays_;
    std::vector<std::unique_ptr<MessageConsumer>> consumers_;
    bool running_ = false;
};

}  // namespace micro_order::host
