// The API documentation as a micro-order plugin: serves one HTML page that renders the OpenAPI
// documents of the services listed in `config: {sources: [{name, url}]}`, fetched from them at
// request time. Needs no database and no broker.

#include <micro_order/plugin.hpp>
#include <optional>

#include "docs/docs_config.hpp"
#include "docs/docs_handlers.hpp"
#include "docs/openapi_fetch.hpp"

namespace micro_order::docs {
namespace {

class DocsPlugin final : public Plugin {
public:
    void start(Context& context) override {
        auto config = readDocsConfig(context.config());
        for (const auto& source : config.sources) {
            context.logger().information("documents %s from %s", source.name, source.url.toString());
        }
        handlers_.emplace(std::move(config), fetchOpenApi);
        addDocsRoutes(context.http(), *handlers_);
    }

private:
    std::optional<DocsHandlers> handlers_;
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
    description: connect, send and receive timeout of each fetch of a document
    minimum: 1
    maximum: 60000
    default: 2000
)")
