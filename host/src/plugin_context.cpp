#include "plugin_context.hpp"

#include <stdexcept>

namespace micro_order::host {

PluginContext::PluginContext(std::string name, Poco::AutoPtr<Poco::Util::MapConfiguration> config, HttpRouter* router,
                             SqliteDatabase* database, BrokerTopology& topology,
                             std::vector<ConsumerRequest>& consumers)
    : name_(std::move(name)),
      config_(config ? config : Poco::AutoPtr<Poco::Util::MapConfiguration>(new Poco::Util::MapConfiguration)),
      logger_(Poco::Logger::get(name_)),
      router_(router),
      database_(database),
      topology_(topology),
      consumers_(consumers) {}

Router& PluginContext::http() {
    if (!router_) {
        throw std::runtime_error("plugin instance '" + name_ + "' serves HTTP but has no `listen:` address");
    }
    return *router_;
}

Database& PluginContext::database() {
    if (!database_) {
        throw std::runtime_error("plugin instance '" + name_ + "' needs a database but names none (`database:`)");
    }
    return *database_;
}

void PluginContext::declareExchange(const std::string& name, const std::string& type, bool durable) {
    topology_.addExchange(name, type, durable);
}

void PluginContext::declareQueue(const QueueBinding& binding) { topology_.addQueue(binding); }

void PluginContext::consume(const std::string& queue, int prefetch, MessageHandler handler) {
    if (!database_) {
        throw std::runtime_error("plugin instance '" + name_ + "' consumes " + queue +
                                 " but names no database: handlers run in a database transaction");
    }
    if (prefetch < 1 || prefetch > 65535) {
        throw std::runtime_error("plugin instance '" + name_ + "': prefetch must be from 1 to 65535");
    }
    consumers_.push_back({name_, queue, prefetch, std::move(handler), database_});
}

}  // namespace micro_order::host
