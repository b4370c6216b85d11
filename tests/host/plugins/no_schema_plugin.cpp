// test_no_schema: a plugin built without MICRO_ORDER_PLUGIN_CONFIG_SCHEMA, as a third-party one
// may be: its config: goes unchecked, and the host says so.
#include <micro_order/plugin.hpp>

namespace {

class NoSchemaPlugin final : public micro_order::Plugin {
public:
    void start(micro_order::Context& context) override {
        context.logger().information("no_schema sees anything=%s", context.config().getString("anything", "-"));
    }
};

}  // namespace

MICRO_ORDER_PLUGIN("test_no_schema", NoSchemaPlugin)
