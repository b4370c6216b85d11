#include "workflow_timeline.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <ctime>
#include <mutex>

using namespace Poco::Data::Keywords;

namespace micro_order::bench {
namespace {

void registerSqliteOnce() {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

std::vector<std::int64_t> handledAt(Poco::Data::Session& session, const std::string& queue) {
    std::vector<Poco::Int64> values;
    std::string name = queue;
    // The inbox has no rowid (host schema version 3): handled_at (µs, taken as each delivery is
    // handled, one at a time per queue) gives the order the consumer handled its deliveries.
    session << "SELECT handled_at FROM micro_order_inbox WHERE queue = ? ORDER BY handled_at", into(values), use(name),
        now;
    return {values.begin(), values.end()};
}

}  // namespace

std::optional<std::int64_t> parseRfc3339Micros(const std::string& text) {
    std::tm tm{};
    int micros = 0;
    char zulu = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%6d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                    &tm.tm_min, &tm.tm_sec, &micros, &zulu) != 8 ||
        zulu != 'Z') {
        return std::nullopt;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return static_cast<std::int64_t>(timegm(&tm)) * 1000000 + micros;
}

WorkflowTimeline readWorkflowTimeline(const std::string& ordersDb, const std::string& shippingsDb,
                                      const std::string& customersDb) {
    registerSqliteOnce();
    WorkflowTimeline timeline;
    if (ordersDb.empty()) {
        timeline.problem = "no orders database given";
        return timeline;
    }
    Poco::Data::Session orders("SQLite", ordersDb);
    std::vector<std::string> madeAtTexts;
    orders << "SELECT made_at FROM orders_order ORDER BY id", into(madeAtTexts), now;
    std::vector<std::int64_t> made;
    made.reserve(madeAtTexts.size());
    for (const auto& text : madeAtTexts) {
        const auto micros = parseRfc3339Micros(text);
        if (!micros) {
            timeline.problem = "unreadable made_at: " + text;
            return timeline;
        }
        made.push_back(*micros);
    }
    timeline.orders = static_cast<std::int64_t>(made.size());
    if (made.empty()) {
        timeline.problem = "no orders";
        return timeline;
    }
    timeline.firstMadeMicros = made.front();
    std::vector<int> statuses;
    std::vector<Poco::Int64> counts;
    orders << "SELECT status, COUNT(*) FROM orders_order GROUP BY status", into(statuses), into(counts), now;
    for (std::size_t i = 0; i < statuses.size(); ++i) {
        (statuses[i] == 0   ? timeline.processing
         : statuses[i] == 1 ? timeline.shipped
                            : timeline.cancelled) += counts[i];
    }

    struct Step {
        std::string queue;
        std::vector<std::int64_t> handled;
    };
    std::vector<Step> steps{{"orders.create", {}},
                            {"customers.request", {}},
                            {"customers.detail", {}},
                            {"shippings.update", handledAt(orders, "shippings.update")}};
    if (!shippingsDb.empty()) {
        Poco::Data::Session shippings("SQLite", shippingsDb);
        steps[0].handled = handledAt(shippings, "orders.create");
        steps[2].handled = handledAt(shippings, "customers.detail");
        std::vector<Poco::Int64> orderIds;
        shippings << "SELECT order_id FROM shippings_shipping ORDER BY id", into(orderIds), now;
        timeline.fifoChecked = orderIds.size() == made.size();
        timeline.fifo = timeline.fifoChecked;
        for (std::size_t i = 1; i < orderIds.size() && timeline.fifo; ++i) {
            timeline.fifo = orderIds[i] > orderIds[i - 1];
        }
    }
    if (!customersDb.empty()) {
        Poco::Data::Session customers("SQLite", customersDb);
        steps[1].handled = handledAt(customers, "customers.request");
    }

    const auto& final = steps.back().handled;
    if (final.size() != made.size()) {
        timeline.problem = std::to_string(final.size()) + " shippings.update deliveries handled for " +
                           std::to_string(made.size()) + " orders";
        return timeline;
    }
    timeline.lastFinalMicros = final.back();
    std::vector<std::int64_t> total(made.size());
    for (std::size_t i = 0; i < made.size(); ++i) {
        total[i] = final[i] - made[i];
    }
    timeline.timeToFinal = summarize(total);
    // Each step: from the previous one handled (the order made, for the first) to this one handled.
    const std::vector<std::int64_t>* previous = &made;
    for (const Step& step : steps) {
        if (step.handled.size() > 1 && step.handled.back() > step.handled.front()) {
            timeline.stepRates.emplace_back(step.queue,
                                            static_cast<double>(step.handled.size() - 1) * 1e6 /
                                                static_cast<double>(step.handled.back() - step.handled.front()));
        }
        if (step.handled.size() != made.size()) {
            previous = nullptr;  // a gap: the next step has no start to measure from
            continue;
        }
        if (previous) {
            std::vector<std::int64_t> deltas(made.size());
            for (std::size_t i = 0; i < made.size(); ++i) {
                deltas[i] = step.handled[i] - (*previous)[i];
            }
            timeline.steps.emplace_back(step.queue, summarize(deltas));
        }
        previous = &step.handled;
    }
    return timeline;
}

}  // namespace micro_order::bench
