// test_throwing_int: throws an int, not a std::exception, from the place its config names.
//
// Config:
//   throw_in: start | stop | http | consume
//   consume_queue: Q, consume_exchange: X   (throw_in: consume) consume Q, bound to X with "int"
// GET /int/ throws with throw_in: http; GET /fine/ always answers 200.
#include <micro_order/plugin.hpp>

namespace {

class ThrowingIntPlugin final : public micro_order::Plugin {
public:
    void start(micro_order::Context& context) override {
        where_ = context.config().getString("throw_in", "");
        if (where_ == "start") {
            throw 42;
        }
        if (where_ == "http") {
            context.http().add("GET", "/int/", [](const micro_order::Request&) -> micro_order::Response { throw 7; });
            context.http().add("GET", "/fine/",
                               [](const micro_order::Request&) { return micro_order::Response::json(200, "{}"); });
        }
        if (where_ == "consume") {
            const std::string queue = context.config().getString("consume_queue");
            const std::string exchange = context.config().getString("consume_exchange");
            context.broker().declareExchange(exchange, "topic", true);
            context.broker().declareQueue({queue, exchange, "int"});
            context.broker().consume(queue, 1,
                                     [](const micro_order::IncomingMessage&, micro_order::Transaction&) { throw 13; });
        }
    }

    void stop() override {
        if (where_ == "stop") {
            throw 99;
        }
    }

private:
    std::string where_;
};

}  // namespace

MICRO_ORDER_PLUGIN("test_throwing_int", ThrowingIntPlugin)
MICRO_ORDER_PLUGIN_CONFIG_SCHEMA(R"(
type: object
description: a plugin that throws an int
required: [throw_in]
properties:
  throw_in: {type: string, description: where it throws, enum: [start, stop, http, consume]}
  consume_queue: {type: string, description: the queue it consumes with throw_in consume}
  consume_exchange: {type: string, description: the exchange that queue is bound to}
)")
