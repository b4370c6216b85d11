#include "plugin_context.hpp"

#include <stdexcept>

namespace micro_order::host {

PluginContext::PluginContext(std::string name, Poco::AutoPtr<Poco::Util::MapConfiguration> config, Router* router,
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
    return *this;
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
    MessageHandler guarded = [name = name_, handler = std::move(handler)](const IncomingMessage& message,
                                                                          Transaction& tx) {
        try {
            handler(message, tx);
        } catch (const std::exception&) {
            throw;  // the consumer judges these (poison, busy database, retry)
        } catch (...) {
            // An int or a plugin's own type: a handler failure like any other, retried and then
            // dead-lettered, never an exception that ends the consumer's thread.
            throw std::runtime_error("plugin instance '" + name +
                                     "': the message handler threw something that is not a std::exception");
        }
    };
    consumers_.push_back({name_, queue, prefetch, std::move(guarded), database_});
}

void PluginContext::add(const std::string& method, const std::string& pathTemplate, Handler handler) {
    Handler guarded = [name = name_, &logger = logger_, method, pathTemplate,
                       handler = std::move(handler)](const Request& request) -> Response {
        try {
            return handler(request);
        } catch (const std::exception&) {
            throw;  // HttpError keeps its answer; the listener logs anything else as a 500
        } catch (...) {
            logger.error(
                "plugin instance '%s': %s %s failed: the handler threw something that is not a "
                "std::exception",
                name, method, pathTemplate);
            return Response::json(500, R"({"detail":"Internal server error."})");
        }
    };
    router_->add(method, pathTemplate, std::move(guarded));
}

}  // namespace micro_order::host
