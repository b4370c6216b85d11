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
