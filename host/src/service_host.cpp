#include "service_host.hpp"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
#include <sstream>
#include <stdexcept>

#include "settings_reload.hpp"
#include "socket_activation.hpp"

namespace micro_order::host {
namespace {

/// What an unavailable instance tells clients and load balancers to wait before trying again.
constexpr int kRetryAfterSeconds = 5;

/// The exception being handled, in words; a plugin may throw anything, an int included.
std::string describeCurrentException() {
    try {
        throw;
    } catch (const std::exception& error) {
        return error.what();
    } catch (...) {
        return "it threw something that is not a std::exception";
    }
}

}  // namespace

ServiceHost::ServiceHost(HostConfig config) : config_(std::move(config)), logger_(Poco::Logger::get("host")) {}

ServiceHost::~ServiceHost() { stop(); }

std::vector<std::string> ServiceHost::configProblems(const PluginInstanceSettings& instance,
                                                     const PluginLibrary& library) {
    if (!library.configSchema()) {
        return {};
    }
    return library.configSchema()->validate(instance.configNode,
                                            {instance.mark.file, instance.configKey, instance.configMark});
}

std::vector<std::string> ServiceHost::checkPlugins(const HostConfig& config, std::vector<std::string>* loaded,
                                                   std::vector<std::string>* notes) {
    std::vector<std::string> problems;
    std::vector<std::shared_ptr<PluginLibrary>> libraries;  // each library once in `loaded`
    for (const auto& instance : config.plugins) {
        try {
            auto library = PluginLibrary::load(instance.libraryPath);
            for (auto& problem : configProblems(instance, *library)) {
                problems.push_back(std::move(problem));
            }
            if (notes && !library->configSchema()) {
                notes->push_back("plugin " + instance.name + ": " + instance.libraryPath +
                                 " declares no config schema: its config: is not checked");
            }
            if (loaded && std::find(libraries.begin(), libraries.end(), library) == libraries.end()) {
                loaded->push_back(library->path() + " (plugin " + library->pluginName() + ")");
            }
            libraries.push_back(std::move(library));
        } catch (const std::exception& error) {
            problems.push_back(instance.mark.file + ":" + std::to_string(instance.mark.line) + ":" +
                               std::to_string(instance.mark.column) + ": plugin '" + instance.name +
                               "': " + error.what());
        }
    }
    return problems;
}

void ServiceHost::start() {
    const auto began = std::chrono::steady_clock::now();
    try {
        const auto inheritedFds = listenersFromServiceManager(config_);
        for (const auto& settings : config_.plugins) {
            if (settings.listen) {
                if (!ioLoops_) {
                    ioLoops_ = std::make_unique<IoLoops>(config_.http.ioThreads, Poco::Logger::get("http"));
                }
                auto listener = std::make_unique<HttpListener>(
                    *ioLoops_, *settings.listen, config_.http, Poco::Logger::get(settings.name + ".http"), metrics_,
                    settings.name, inheritedFds.count(settings.name) ? inheritedFds.at(settings.name) : -1);
                addHostRoutes(settings.name, listener->router());
                listeners_[settings.name] = std::move(listener);
            }
        }
        // Listeners bound (or taken from systemd). Root's work ends here: a port below 1024 needed it; every database
        // and plugin file from now on is opened (and created) as the service user, so it
        // belongs to that user and no plugin code ever runs as root. Whatever binds a listening
        // socket must stay above this line.
        dropPrivileges();
        // Whatever the host creates is for its own user (and group) only: customer data.
        ::umask(::umask(0) | 0027);
        std::vector<std::string> databasePaths;
        for (const auto& settings : config_.databases) {
            if (settings.connector == "sqlite") {
                databasePaths.push_back(settings.path);
            }
        }
        checkStateFileOwners(databasePaths);
        for (const auto& settings : config_.databases) {
            try {
                databases_[settings.name] =
                    std::make_unique<HostDatabase>(settings, Poco::Logger::get("db." + settings.name));
            } catch (const std::exception& error) {
                throw std::runtime_error("cannot open database '" + settings.name + "' at " +
                                         databaseLocation(settings) + ": " + error.what());
            }
        }
        // Load every library first: a bad one fails start-up before any instance exists.
        std::vector<std::shared_ptr<PluginLibrary>> libraries;
        std::vector<std::string> problems;
        for (auto& settings : config_.plugins) {
            libraries.push_back(PluginLibrary::load(settings.libraryPath));
            for (auto& problem : configProblems(settings, *libraries.back())) {
                problems.push_back(std::move(problem));
            }
            if (const auto& schema = libraries.back()->configSchema()) {
                // One declaration: the plugin reads the schema's defaults like keys of the file.
                schema->addDefaults(settings.configNode, *settings.config);
            } else {
                logger_.warning("plugin instance '%s': %s declares no config schema; its config: is not checked",
                                settings.name, settings.libraryPath);
            }
        }
        if (!problems.empty()) {
            throw ConfigError(std::move(problems));
        }
        for (std::size_t i = 0; i < config_.plugins.size(); ++i) {
            const auto& settings = config_.plugins[i];
            Instance instance;
            instance.settings = &settings;
            try {
                instance.plugin = libraries[i]->create();
            } catch (...) {
                throw std::runtime_error("plugin instance '" + settings.name + "' (" + settings.libraryPath +
                                         ") could not be created: " + describeCurrentException());
            }
            auto listener = listeners_.find(settings.name);
            instance.context = std::make_unique<PluginContext>(
                settings.name, settings.config, listener != listeners_.end() ? &listener->second->router() : nullptr,
                settings.database.empty() ? nullptr : databases_.at(settings.database).get(), topology_,
                consumerRequests_, &metrics_);
            instances_.push_back(std::move(instance));
            try {
                instances_.back().plugin->start(*instances_.back().context);
            } catch (...) {
                throw std::runtime_error("plugin instance '" + settings.name + "' (" + settings.libraryPath +
                                         ") failed to start: " + describeCurrentException());
            }
            instances_.back().started = true;
            logger_.information("started %s (%s)", settings.name, libraries[i]->pluginName());
        }
    } catch (...) {
        stopPlugins();
        consumerRequests_.clear();
        listeners_.clear();
        ioLoops_.reset();
        instances_.clear();
        databases_.clear();
        throw;
    }
    for (auto& [name, database] : databases_) {
        relays_.push_back(
            std::make_unique<OutboxRelay>(*database, config_.broker, topology_, Poco::Logger::get("outbox")));
        relays_.back()->start();
    }
    for (const auto& request : consumerRequests_) {
        auto& workflowAge = metrics_.histogram(
            "micro_order_workflow_age_seconds",
            "Time from the first message of a workflow (e.g. an order's creation) to the handling of this queue's "
            "message: on the last queue, creation to final state",
            {{"queue", request.queue}});
        consumers_.push_back(std::make_unique<MessageConsumer>(request.queue, request.prefetch, request.handler,
                                                               *request.database, config_.broker, topology_,
                                                               Poco::Logger::get(request.instance), workflowAge));
        consumers_.back()->start();
    }
    registerMessagingMetrics();
    if (ioLoops_) {
        ioLoops_->start();
    }
    for (auto& [name, listener] : listeners_) {
        listener->start();
        logger_.information("%s listening on http://%s:%hu", name, listener->address().host, listener->address().port);
    }
    running_ = true;
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
    logger_.information("ready: %z plugin instances, %z listeners, %z consumers in %Ld ms", instances_.size(),
                        listeners_.size(), consumers_.size(), static_cast<Poco::Int64>(took.count()));
}

void ServiceHost::dropPrivileges() {
    if (::geteuid() != 0) {
        return;  // nothing to drop; loading the config made sure `user:` is this user
    }
    if (!config_.user) {
        logger_.warning("running as root: name the account to run as with `user:` in %s", config_.file);
        return;
    }
    becomeUser(*config_.user);
    logger_.information("switched to user %s (uid %u, gid %u)", config_.user->name,
                        static_cast<unsigned>(config_.user->uid), static_cast<unsigned>(config_.user->gid));
}

void ServiceHost::stop() {
    if (!running_) {
        return;
    }
    running_ = false;
    draining_ = true;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.shutdownGraceMs);
    auto left = [&] {
        return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                          deadline - std::chrono::steady_clock::now()));
    };
    logger_.information("stopping: draining requests and messages (grace %d ms)", config_.shutdownGraceMs);
    // Listeners drain side by side: the grace period bounds the whole stop, not each one.
    std::vector<std::future<void>> stopping;
    for (auto& [name, listener] : listeners_) {
        stopping.push_back(std::async(std::launch::async, [&, name = name, listener = listener.get()] {
            if (!listener->stop(left())) {
                logger_.warning("%s: requests still running after the grace period were cut", name);
            }
        }));
    }
    stopping.clear();  // joins
    // Each consumer finishes the message in hand; what it prefetched goes back to the queue.
    for (auto& consumer : consumers_) {
        consumer->requestStop();
    }
    for (auto& consumer : consumers_) {
        consumer->stop();
    }
    consumers_.clear();
    stopPlugins();
    // Send what the last requests and messages committed; the rest waits in the outbox.
    for (auto& relay : relays_) {
        relay->requestStop(left());
    }
    for (auto& relay : relays_) {
        relay->stop(left());
    }
    relays_.clear();
    consumerRequests_.clear();
    listeners_.clear();
    // Before the plugins go: what the loops still hold (a listener's routes) has their code.
    ioLoops_.reset();
    instances_.clear();
    databases_.clear();
    logger_.information("stopped");
}

void ServiceHost::stopPlugins() {
    for (auto it = instances_.rbegin(); it != instances_.rend(); ++it) {
        if (!it->started) {
            continue;
        }
        try {
            it->plugin->stop();
        } catch (...) {
            logger_.error("plugin instance '%s' failed to stop cleanly: %s", it->settings->name,
                          describeCurrentException());
        }
        it->started = false;
    }
}

void ServiceHost::addHostRoutes(const std::string& instance, HttpRouter& router) {
    // On the event loop: alive means the loops turn, whatever the workers are doing.
    router.addNonBlocking("GET", "/healthz", [](const Request&) { return Response::json(200, R"({"status":"ok"})"); });
    // /readyz and /metrics read databases: they run on the workers (a full queue answers 503).
    router.add("GET", "/readyz", [this, instance](const Request&) {
        const Readiness state = readiness(instance);
        const auto join = [](const std::vector<std::string>& reasons) {
            std::string joined;
            for (const auto& reason : reasons) {
                joined += (joined.empty() ? "" : "; ") + reason;
            }
            return joined;
        };
        Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
        if (!state.unavailable.empty()) {
            body.set("status", "unavailable");
            body.set("detail", join(state.unavailable));
        } else if (!state.degraded.empty()) {
            body.set("status", "degraded");
            body.set("detail", join(state.degraded));
        } else {
            body.set("status", "ready");
        }
        std::ostringstream out;
        body.stringify(out);
        Response response = Response::json(state.unavailable.empty() ? 200 : 503, out.str());
        if (!state.unavailable.empty()) {
            response.headers.emplace_back("Retry-After", std::to_string(kRetryAfterSeconds));
        }
        return response;
    });
    router.add("GET", "/metrics", [this](const Request&) {
        Response response;
        response.contentType = "text/plain; version=0.0.4; charset=utf-8";
        response.body = metrics_.renderPrometheus();
        return response;
    });
}

ServiceHost::Readiness ServiceHost::readiness(const std::string& instance) {
    Readiness state;
    if (draining_) {
        state.unavailable.push_back("draining: the host is stopping");
        return state;
    }
    const PluginInstanceSettings* settings = nullptr;
    for (const auto& plugin : config_.plugins) {
        if (plugin.name == instance) {
            settings = &plugin;
        }
    }
    if (settings && !settings->database.empty()) {
        HostDatabase& database = *databases_.at(settings->database);
        try {
            database.read([](Connection& connection) { connection.statement("SELECT 1").step(); });
            if (const auto problem = database.unusableReason()) {
                state.unavailable.push_back("database " + settings->database + ": " + *problem);
            }
        } catch (const std::exception& error) {
            state.unavailable.push_back("database " + settings->database + ": " + error.what());
        }
    }
    for (const auto& relay : relays_) {
        if (!relay->stats().connected) {
            state.degraded.push_back("broker: not connected (outbox " + relay->databaseName() +
                                     "; messages wait in it)");
        }
    }
    for (const auto& consumer : consumers_) {
        if (!consumer->stats().connected) {
            state.degraded.push_back("broker: not connected (consumer of " + consumer->queue() + ")");
        }
    }
    return state;
}

void ServiceHost::registerMessagingMetrics() {
    metrics_.gauge("micro_order_plugin_instances", "Plugin instances loaded", {},
                   [count = static_cast<double>(instances_.size())] { return count; });
    for (const auto& [name, listener] : listeners_) {
        metrics_.gauge("micro_order_ready", "1 while the instance can serve (what /readyz answers 200 to)",
                       {{"instance", name}},
                       [this, name = name] { return readiness(name).unavailable.empty() ? 1.0 : 0.0; });
        metrics_.gauge("micro_order_degraded",
                       "1 while the instance serves without something it uses (the broker: messages wait in the "
                       "outbox)",
                       {{"instance", name}},
                       [this, name = name] { return readiness(name).degraded.empty() ? 0.0 : 1.0; });
    }
    for (const auto& [name, database] : databases_) {
        HostDatabase* d = database.get();
        metrics_.gauge("micro_order_database_writable",
                       "0 while writes to the database fail for a reason of its own (disk full, I/O error)",
                       {{"database", name}}, [d] { return d->unusableReason() ? 0.0 : 1.0; });
    }
    for (const auto& relay : relays_) {
        OutboxRelay* r = relay.get();
        const Labels labels{{"database", r->databaseName()}};
        metrics_.counterFunction("micro_order_messages_published_total",
                                 "Messages the outbox relay published and the broker confirmed", labels,
                                 [r] { return static_cast<double>(r->stats().published.load()); });
        metrics_.gauge("micro_order_outbox_backlog", "Outbox rows waiting to be published", labels,
                       [r] { return static_cast<double>(r->backlog().first); });
        metrics_.gauge(
            "micro_order_outbox_oldest_age_seconds", "Age of the oldest outbox row (0 when empty)", labels, [r] {
                const auto oldest = r->backlog().second;
                return oldest == 0 ? 0.0 : static_cast<double>(Poco::Timestamp().epochMicroseconds() - oldest) / 1e6;
            });
        metrics_.gauge("micro_order_broker_connected", "1 while the connection to the broker is up",
                       {{"connection", "outbox " + r->databaseName()}},
                       [r] { return r->stats().connected ? 1.0 : 0.0; });
    }
    if (!relays_.empty()) {
        // The queue is shared by every host on the broker: any relay's latest look will do.
        metrics_.gauge("micro_order_dead_letter_messages",
                       std::string("Messages waiting in ") + kDeadLetterQueue + " (NaN until it was read)", {}, [this] {
                           std::int64_t depth = -1;
                           for (const auto& relay : relays_) {
                               depth = std::max<std::int64_t>(depth, relay->stats().deadLetterDepth.load());
                           }
                           return depth < 0 ? std::nan("") : static_cast<double>(depth);
                       });
    }
    for (const auto& consumer : consumers_) {
        MessageConsumer* c = consumer.get();
        const Labels labels{{"queue", c->queue()}};
        metrics_.counterFunction("micro_order_messages_consumed_total", "Messages handled and acked", labels,
                                 [c] { return static_cast<double>(c->stats().handled.load()); });
        metrics_.counterFunction("micro_order_messages_duplicates_total", "Redelivered messages skipped by the inbox",
                                 labels, [c] { return static_cast<double>(c->stats().duplicates.load()); });
        metrics_.counterFunction("micro_order_messages_dead_lettered_total",
                                 "Poison messages moved to the dead-letter queue", labels,
                                 [c] { return static_cast<double>(c->stats().deadLettered.load()); });
        metrics_.counterFunction("micro_order_messages_retries_total", "Handler attempts that failed and were retried",
                                 labels, [c] { return static_cast<double>(c->stats().retries.load()); });
        metrics_.gauge("micro_order_broker_connected", "1 while the connection to the broker is up",
                       {{"connection", "consumer " + c->queue()}}, [c] { return c->stats().connected ? 1.0 : 0.0; });
    }
}

std::vector<std::string> ServiceHost::reload(const HostConfig& next) {
    // Every setting is declared once (settings_catalog.hpp) as applied on reload or needing a
    // restart: what changed is either taken now or named here, never silently dropped.
    std::vector<std::string> needRestart;
    for (const auto& change : applySettings(config_, next)) {
        if (change.reload == Reload::applied) {
            logger_.notice("reload: %s", describeChange(change));
        } else {
            needRestart.push_back(describeChange(change));
        }
    }
    for (auto& [instance, listener] : listeners_) {
        listener->reloadTokens();  // same file, new contents: no restart needed
    }
    for (const auto& line : needRestart) {
        logger_.warning("reload: %s", line);
    }
    return needRestart;
}

}  // namespace micro_order::host
