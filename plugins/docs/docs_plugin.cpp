// The API documentation as a micro-order plugin: serves one HTML page that renders the OpenAPI
// documents of the services listed in `config: {sources: [{name, url}]}`, fetched from them at
// request time. Needs no database and no broker.

#include <algorithm>
#include <chrono>
#include <micro_order/plugin.hpp>
#include <optional>

#include "docs/docs_config.hpp"
#include "docs/docs_handlers.hpp"
#include "docs/openapi_fetch.hpp"
#include "docs/status_monitor.hpp"
#include "docs/status_page.hpp"

namespace micro_order::docs {
namespace {

// The status page has no script and takes nothing from anywhere: only its inline style.
constexpr const char* kStatusPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

class DocsPlugin final : public Plugin {
public:
    void start(Context& context) override {
        auto config = readDocsConfig(context.config());
        for (const auto& source : config.sources) {
            context.logger().information("documents %s from %s", source.name, source.url.toString());
        }
        if (config.status) {
            // Read on a thread of its own, so that GET /status never waits for a host.
            monitor_.emplace(*config.status, config.timeout, fetchMetricsText);
            context.http().add("GET", "/status", [this](const Request& request) {
                const auto& status = monitor_->config();
                // It reloads itself as often as the hosts are read (at most once a second);
                // `?refresh=0` keeps it still (a screenshot, a printout).
                auto refresh =
                    std::chrono::ceil<std::chrono::seconds>(std::max(status.interval, std::chrono::milliseconds(1000)));
                if (const std::string* asked = request.queryValue("refresh"); asked && *asked == "0") {
                    refresh = std::chrono::seconds(0);
                }
                Response response;
                response.body = renderStatusPage(monitor_->samples(), status.history, refresh);
                response.contentType = "text/html; charset=utf-8";
                response.headers = {{"Content-Security-Policy", kStatusPolicy},
                                    {"X-Content-Type-Options", "nosniff"},
                                    {"Cache-Control", "no-store"}};
                return response;
            });
            context.logger().information("status page at /status from %z hosts' /metrics every %Ld ms",
                                         config.status->metrics.size(),
                                         static_cast<Poco::Int64>(config.status->interval.count()));
            monitor_->start();
        }
        handlers_.emplace(std::move(config), fetchOpenApi);
        addDocsRoutes(context.http(), *handlers_);
    }

    void stop() override {
        if (monitor_) {
            monitor_->stop();
        }
    }

private:
    std::optional<DocsHandlers> handlers_;
    std::optional<StatusMonitor> monitor_;
};

}  // namespace
}  // namespace micro_order::docs

MICRO_ORDER_PLUGIN("docs", micro_order::docs::DocsPlugin)
MICRO_ORDER_PLUGIN_CONFIG_SCHEMA(R"(
type: object
description: one page documenting the APIs of the services it lists
required: [sources]
properties:
  sources:
    type: array
    description: the services whose OpenAPI documents the page shows
    minItems: 1
    items:
      type: object
      description: one service
      required: [name, url]
      properties:
        name:
          type: string
          description: its section of the page and /openapi/<name>.json (letters, digits, _ . -)
        url:
          type: string
          description: the http://host:port/path of its OpenAPI document
        token_file:
          type: string
          description: absolute path of a file whose first token is sent as a bearer token
  timeout_ms:
    type: integer
    description: connect, send and receive timeout of each fetch of a document (and of a /metrics)
    minimum: 1
    maximum: 60000
    default: 2000
  status:
    type: object
    description: the status page at GET /status, read from the hosts' own /metrics
    required: [metrics]
    properties:
      metrics:
        type: array
        description: the hosts whose /metrics the page reads
        minItems: 1
        items:
          type: object
          description: one host
          required: [name, url]
          properties:
            name:
              type: string
              description: how the page names it (letters, digits, _ . -)
            url:
              type: string
              description: its http://host:port/metrics
      interval_ms:
        type: integer
        description: how often they are read
        minimum: 100
        maximum: 60000
        default: 5000
      history_minutes:
        type: integer
        description: what the chart spans
        minimum: 1
        maximum: 60
        default: 10
)")
