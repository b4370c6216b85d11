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

#include <Poco/Data/Session.h>

#include <cstdint>
#include <micro_order/plugin.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace Poco::Data::Keywords;

namespace order_summary {
namespace {

/// How the orders plugin stores a status (its OrderStatus enum), by value.
const char* statusName(int stored) {
    static const char* const kNames[] = {"PROCESSING", "SHIPPED", "CANCELLED"};
    return stored >= 0 && stored < 3 ? kNames[stored] : nullptr;
}

/// Counts by stored status; empty while the orders plugin has not created its table yet.
std::vector<std::pair<int, std::int64_t>> countByStatus(Poco::Data::Session& session) {
    int tables = 0;
    session << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'orders_order'", into(tables), now;
    std::vector<int> statuses;
    std::vector<Poco::Int64> counts;
    if (tables > 0) {
        session << "SELECT status, COUNT(*) FROM orders_order GROUP BY status ORDER BY status", into(statuses),
            into(counts), now;
    }
    std::vector<std::pair<int, std::int64_t>> result;
    for (std::size_t i = 0; i < statuses.size(); ++i) {
        result.emplace_back(statuses[i], counts[i]);
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
        // reads on a pooled session per request, so concurrent requests share nothing.
        micro_order::Database& database = context.database();
        context.http().add("GET", "/summary/", [&database](const micro_order::Request&) {
            std::string body;
            database.read([&](Poco::Data::Session& session) { body = summaryJson(countByStatus(session)); });
            return micro_order::Response::json(200, body);
        });
        context.logger().information("serving GET /summary/");
    }
};

}  // namespace
}  // namespace order_summary

MICRO_ORDER_PLUGIN("order_summary", order_summary::OrderSummaryPlugin)
