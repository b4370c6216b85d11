// order_summary: a drop-in micro-order plugin built against the SDK alone. It serves
//
//   GET /summary/   →   {"PROCESSING": 3, "SHIPPED": 12}
//
// the number of orders in each status, read from the orders database (the orders plugin's
// orders_order table). Read-only: it migrates nothing and publishes nothing, so it can share
// the orders service's database from the same host or from another one.
//
//   plugins:
//     - name: orders
//       library: orders
//       listen: 127.0.0.1:8000
//       database: orders
//     - name: order_summary
//       library: order_summary       # order_summary.so, in a folder of plugin_path
//       listen: 127.0.0.1:8003
//       database: orders
//       config:                      # optional: the keys the schema at the end declares
//         route: /summary/

#include <cstdint>
#include <micro_order/plugin.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace order_summary {
namespace {

/// How the orders plugin stores a status (its OrderStatus enum), by value.
const char* statusName(int stored) {
    static const char* const kNames[] = {"PROCESSING", "SHIPPED", "CANCELLED"};
    return stored >= 0 && stored < 3 ? kNames[stored] : nullptr;
}

/// Counts by stored status; empty while the orders plugin has not created its table yet.
std::vector<std::pair<int, std::int64_t>> countByStatus(micro_order::Connection& connection) {
    // Statements compiled once per pooled connection, then reused by every request.
    auto& tables =
        connection.statement("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'orders_order'");
    tables.step();
    const bool created = tables.int64(0) > 0;
    std::vector<std::pair<int, std::int64_t>> result;
    if (created) {
        auto& counts =
            connection.statement("SELECT status, COUNT(*) FROM orders_order GROUP BY status ORDER BY status");
        while (counts.step()) {
            result.emplace_back(static_cast<int>(counts.int64(0)), counts.int64(1));
        }
    }
    return result;
}

/// {"PROCESSING": 1, ...}; a value the orders plugin does not define shows as its number.
std::string summaryJson(const std::vector<std::pair<int, std::int64_t>>& counts) {
    std::ostringstream out;
    out << '{';
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const char* name = statusName(counts[i].first);
        out << (i ? ", " : "") << '"' << (name ? name : std::to_string(counts[i].first)) << "\": " << counts[i].second;
    }
    out << '}';
    return out.str();
}

class OrderSummaryPlugin final : public micro_order::Plugin {
public:
    void start(micro_order::Context& context) override {
        // The database outlives every request (the host stops HTTP before stop()); the handler
        // reads on a pooled connection per request, so concurrent requests share nothing.
        micro_order::Database& database = context.database();
        // The schema at the end of this file declares `route` and its default.
        const std::string route = context.config().getString("route");
        context.http().add("GET", route, [&database](const micro_order::Request&) {
            return micro_order::Response::json(200, database.readValue([](micro_order::Connection& connection) {
                return summaryJson(countByStatus(connection));
            }));
        });
        context.logger().information("serving GET %s", route);
    }
};

}  // namespace
}  // namespace order_summary

MICRO_ORDER_PLUGIN("order_summary", order_summary::OrderSummaryPlugin)

// The keys this plugin's `config:` takes. The host refuses any other key (a typo such as
// `rout:` is reported with its file, line and column) and fills in the default.
MICRO_ORDER_PLUGIN_CONFIG_SCHEMA(R"(
type: object
description: the number of orders in each status
properties:
  route:
    type: string
    description: the path the summary is served on
    default: /summary/
)")
