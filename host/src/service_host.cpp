#include "service_host.hpp"

#include <chrono>
#include <stdexcept>

namespace micro_order::host {

ServiceHost::ServiceHost(HostConfig config) : config_(std::move(config)), logger_(Poco::Logger::get("host")) {}

ServiceHost::~ServiceHost() {
    stop();
}

std::vector<std::string> ServiceHost::checkPlugins(const HostConfig& config) {
    std::vector<std::string> problems;
    for (const auto& instance : config.plugins) {
        try {
            PluginLibrary::load(instance.libraryPath);
        } catch (const std::exception& error) {
            problems.push_back(instance.mark.file + ":" + std::to_string(instance.mark.line) + ":" +
                               std::to_string(instance.mark.column) + ": plugin '" + instance.name + "': " +
                               error.what());
        }
    }
    return problems;
}

void ServiceHost::start() {
    const auto began = std::chrono::steady_clock::now();
    try {
        for (const auto& settings : config_.databases) {
            try {
                databases_[settings.name] = std::make_unique<SqliteDatabase>(settings, Poco::Logger::get("db." + settings.name));
            } catch (const std::exception& error) {
                throw std::runtime_error("cannot open database '" + settings.name + "' at " + settings.path + ": " + error.what());
            }
        }
        // Load every library first: a bad one fails start-up before any instance exists.
        std::vector<std::shared_ptr<PluginLibrary>> libraries;
        for (const auto& settings : config_.plugins) {
            libraries.push_back(PluginLibrary::load(settings.libraryPath));
        }
        for (const auto& settings : config_.plugins) {
            if (settings.listen) {
                listeners_[settings.name] = std::make_unique<HttpListener>(
                    *settings.listen, config_.http, Poco::Logger::get(settings.name + ".http"));
            }
        }
        for (std::size_t i = 0; i < config_.plugins.size(); ++i) {
            const auto& settings = config_.plugins[i];
            Instance instance;
            instance.settings = &settings;
            instance.plugin = libraries[i]->create();
            auto listener = listeners_.find(settings.name);
            instance.context = std::make_unique<PluginContext>(settings.name, settings.config,
                listener != listeners_.end() ? &listener->second->router() : nullptr,
                settings.database.empty() ? nullptr : databases_.at(settings.database).get(), topology_,
                consumerRequests_);
            instances_.push_back(std::move(instance));
            try {
                instances_.back().plugin->start(*instances_.back().context);
            } catch (const std::exception& error) {
                throw std::runtime_error("plugin instance '" + settings.name + "' (" + settings.libraryPath +
                                         ") failed to start: " + error.what());
            }
            instances_.back().started = true;
            logger_.information("started %s (%s)", settings.name, libraries[i]->pluginName());
        }
    } catch (...) {
        stopPlugins();
        consumerRequests_.clear();
        listeners_.clear();
        instances_.clear();
        databases_.clear();
        throw;
    }
    for (auto& [name, database] : databases_) {
        relays_.push_back(std::make_unique<OutboxRelay>(*database, config_.broker, topology_, Poco::Logger::get("outbox")));
        relays_.back()->start();
    }
    for (const auto& request : consumerRequests_) {
        consumers_.push_back(std::make_unique<MessageConsumer>(request.queue, request.prefetch, request.handler,
            *request.database, config_.broker, topology_, Poco::Logger::get(request.instance)));
        consumers_.back()->start();
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

void ServiceHost::stop() {
    if (!running_) {
        return;
    }
    running_ = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.shutdownGraceMs);
    auto left = [&] {
        return std::max(std::chrono::milliseconds(0),
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    };
    logger_.information("stopping: draining requests and messages (grace %d ms)", config_.shutdownGraceMs);
    for (auto& [name, listener] : listeners_) {
        if (!listener->stop(left())) {
            logger_.warning("%s: requests still running after the grace period were cut", name);
        }
    }
    // Each consumer finishes the message in hand; what it prefetched goes back to the queue.
    for (auto& consumer : consumers_) {
        consumer->stop();
    }
    consumers_.clear();
    stopPlugins();
    // Send what the last requests and messages committed; the rest waits in the outbox.
    for (auto& relay : relays_) {
        relay->stop(left());
    }
    relays_.clear();
    consumerRequests_.clear();
    listeners_.clear();
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
        } catch (const std::exception& error) {
            logger_.error("plugin instance '%s' failed to stop cleanly: %s", it->settings->name, std::string(error.what()));
        }
        it->started = false;
    }
}

}  // namespace micro_order::host
