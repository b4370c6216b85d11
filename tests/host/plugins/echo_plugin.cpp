// test_echo: a plugin that exercises every host service a real plugin uses, for tests/host.
//
// Config (all optional):
//   slow_ms: 1500            GET /slow/ sleeps this long
//   rows: true               POST/GET /rows/ on the instance's database
//   consume_queue: Q         consume Q (bound to consume_exchange with consume_routing_key),
//   consume_exchange: X      storing each body as a row with source "amqp"; POST /rows/ also
//   consume_routing_key: K   publishes the body to X/K through the outbox
//   prefetch: 5              (a body "poison" throws PoisonMessage, "fail" a runtime_error)
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <micro_order/plugin.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

using namespace Poco::Data::Keywords;

namespace {

std::string stringify(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

std::string stringify(const Poco::JSON::Array& array) {
    std::ostringstream out;
    array.stringify(out);
    return out.str();
}

const std::vector<micro_order::Migration>& migrations() {
    static const std::vector<micro_order::Migration> steps{
        {1,
         "echo rows",
         {"CREATE TABLE echo_rows (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL,"
          " source VARCHAR(16) NOT NULL)"}},
    };
    return steps;
}

void insertRow(micro_order::Transaction& tx, const std::string& body, const std::string& source) {
    tx.statement("INSERT INTO echo_rows (body, source) VALUES (?, ?)").bind(1, body).bind(2, source).step();
}

class EchoPlugin final : public micro_order::Plugin {
public:
    void start(micro_order::Context& context) override {
        const auto& config = context.config();
        const int slowMs = config.getInt("slow_ms", 1500);
        auto& http = context.http();

        http.add("GET", "/things/{id}/", [](const micro_order::Request& request) {
            Poco::JSON::Object body;
            body.set("id", request.pathParams.at("id"));
            body.set("path", request.path);
            Poco::JSON::Object query;
            for (const auto& [key, value] : request.query) {
                query.set(key, value);
            }
            body.set("query", query);
            return micro_order::Response::json(200, stringify(body));
        });
        http.add("POST", "/things/", [](const micro_order::Request& request) {
            micro_order::Response response;
            response.status = 201;
            response.body = request.body;
            response.contentType = request.contentType.empty() ? "application/octet-stream" : request.contentType;
            return response;
        });
        http.add("GET", "/slow/", [slowMs](const micro_order::Request&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(slowMs));
            Poco::JSON::Object body;
            body.set("slept_ms", slowMs);
            return micro_order::Response::json(200, stringify(body));
        });
        http.add("GET", "/boom/", [](const micro_order::Request&) -> micro_order::Response {
            throw std::runtime_error("secret internals");
        });
        http.add("GET", "/teapot/", [](const micro_order::Request&) -> micro_order::Response {
            throw micro_order::HttpError(418, "short and stout");
        });

        if (!config.getBool("rows", false) && !config.has("consume_queue")) {
            return;
        }
        auto& database = context.database();
        database.migrate("test_echo", migrations());
        std::string exchange;
        std::string routingKey;
        if (config.has("consume_queue")) {
            const std::string queue = config.getString("consume_queue");
            exchange = config.getString("consume_exchange");
            routingKey = config.getString("consume_routing_key", "echo");
            context.broker().declareExchange(exchange, "topic", true);
            context.broker().declareQueue({queue, exchange, routingKey});
            context.broker().consume(queue, config.getInt("prefetch", 5),
                                     [](const micro_order::IncomingMessage& message, micro_order::Transaction& tx) {
                                         if (message.body == "poison") {
                                             throw micro_order::PoisonMessage("the body is poison");
                                         }
                                         if (message.body == "fail") {
                                             throw std::runtime_error("this handler always fails on 'fail'");
                                         }
                                         insertRow(tx, message.body, "amqp");
                                     });
        }
        http.add("POST", "/rows/", [&database, exchange, routingKey](const micro_order::Request& request) {
            database.transact([&](micro_order::Transaction& tx) {
                insertRow(tx, request.body, "http");
                if (!exchange.empty()) {
                    tx.publish({exchange, routingKey, request.body, {}, 0});
                }
            });
            return micro_order::Response::json(201, "{}");
        });
        http.add("GET", "/rows/", [&database](const micro_order::Request& request) {
            const std::string* source = request.queryValue("source");
            std::vector<std::string> bodies;
            database.read([&](micro_order::Connection& connection) {
                micro_order::Statement& select =
                    source ? connection.statement("SELECT body FROM echo_rows WHERE source = ? ORDER BY id")
                                 .bind(1, *source)
                           : connection.statement("SELECT body FROM echo_rows ORDER BY id");
                while (select.step()) {
                    bodies.push_back(select.text(0));
                }
            });
            Poco::JSON::Array rows;
            for (const auto& body : bodies) {
                rows.add(body);
            }
            return micro_order::Response::json(200, stringify(rows));
        });
    }
};

}  // namespace

MICRO_ORDER_PLUGIN("test_echo", EchoPlugin)
MICRO_ORDER_PLUGIN_CONFIG_SCHEMA(R"(
type: object
description: a plugin that exercises every host service, for tests
properties:
  slow_ms: {type: integer, description: how long GET /slow/ sleeps, minimum: 0, default: 1500}
  rows: {type: boolean, description: serve POST/GET /rows/ on the database, default: false}
  consume_queue: {type: string, description: a queue to consume into rows}
  consume_exchange: {type: string, description: the exchange the queue is bound to}
  consume_routing_key: {type: string, description: its binding key, default: echo}
  prefetch: {type: integer, description: unacked messages, minimum: 1, maximum: 65535, default: 5}
)")
