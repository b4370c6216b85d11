#include "plugin_context.hpp"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "database_health.hpp"

namespace micro_order::host {

PluginContext::PluginContext(std::string name, Poco::AutoPtr<Poco::Util::MapConfiguration> config, Router* router,
                             HostDatabase* database, BrokerTopology& topology, std::vector<ConsumerRequest>& consumers,
                             MetricsRegistry* metrics)
    : name_(std::move(name)),
      config_(config ? config : Poco::AutoPtr<Poco::Util::MapConfiguration>(new Poco::Util::MapConfiguration)),
      logger_(Poco::Logger::get(name_)),
      router_(router),
      database_(database),
      topology_(topology),
      consumers_(consumers),
      throttle_(std::make_shared<LogThrottle>()),
      metrics_(metrics) {}

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

Metrics& PluginContext::metrics() {
    if (!metrics_) {
        throw std::logic_error("plugin instance '" + name_ + "': no metrics registry");
    }
    return *this;
}

void PluginContext::gauge(const std::string& name, const std::string& help,
                          const std::vector<std::pair<std::string, std::string>>& labels,
                          std::function<double()> read) {
    const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == ':';
    }) && !std::isdigit(static_cast<unsigned char>(name.front()));
    if (!valid) {
        throw std::invalid_argument("plugin instance '" + name_ + "': '" + name + "' is not a metric name");
    }
    Labels all{{"instance", name_}};
    all.insert(all.end(), labels.begin(), labels.end());
    auto owned = std::make_shared<std::function<double()>>(std::move(read));
    gauges_.push_back(owned);
    metrics_->gauge(name, help, all, [weak = std::weak_ptr<std::function<double()>>(owned)] {
        const auto read = weak.lock();
        try {
            return read ? (*read)() : std::nan("");
        } catch (...) {
            return std::nan("");  // a plugin's failing gauge must not take /metrics down
        }
    });
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

void PluginContext::add(const std::string& method, const std::string& pathTemplate, Handler handler,
                        RouteOptions options) {
    Handler guarded = [name = name_, database = database_ ? database_->name() : std::string("(none)"),
                       &logger = logger_, throttle = throttle_, method, pathTemplate,
                       handler = std::move(handler)](const Request& request) -> Response {
        try {
            return handler(request);
        } catch (const HttpError&) {
            throw;
        } catch (const std::exception& error) {
            if (!isTransientDatabaseError(error)) {
                throw;  // the listener logs it and answers 500
            }
            // The database is full, failing or still busy after the retries: an answer the
            // client can act on (come back later), not a 500, and one log line per interval.
            const std::string reason = unusableDatabaseReason(error).value_or("busy");
            std::uint64_t repeats = 0;
            if (throttle->admit("http " + reason, repeats)) {
                logger.error("plugin instance '%s': database %s: %s, answering 503 to %s %s: %s%s", name, database,
                             reason, method, pathTemplate, std::string(error.what()), throttle->repeatsNote(repeats));
            }
            Poco::JSON::Object body;
            body.set("detail", "Database \"" + database + "\" is unavailable (" + reason + "); try again later.");
            std::ostringstream json;
            body.stringify(json);
            Response response = Response::json(503, json.str());
            response.headers.emplace_back("Retry-After", reason == "busy" ? "1" : "5");
            return response;
        } catch (...) {
            logger.error(
                "plugin instance '%s': %s %s failed: the handler threw something that is not a "
                "std::exception",
                name, method, pathTemplate);
            return Response::json(500, R"({"detail":"Internal server error."})");
        }
    };
    router_->add(method, pathTemplate, std::move(guarded), options);
}

}  // namespace micro_order::host
