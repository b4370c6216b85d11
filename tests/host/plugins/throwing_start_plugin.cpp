// test_throwing_start: a plugin whose start() fails, with the reason from its config.
#include <micro_order/plugin.hpp>
#include <stdexcept>

namespace {

class ThrowingStartPlugin final : public micro_order::Plugin {
public:
    void start(micro_order::Context& context) override {
        throw std::runtime_error(context.config().getString("reason", "this plugin never starts"));
    }
};

}  // namespace

MICRO_ORDER_PLUGIN("test_throwing_start", ThrowingStartPlugin)
MICRO_ORDER_PLUGIN_CONFIG_SCHEMA(R"(
type: object
description: a plugin whose start() fails
properties:
  reason: {type: string, description: what start() throws, default: this plugin never starts}
)")
