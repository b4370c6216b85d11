#include "e2e_scenario.hpp"

#include <atomic>
#include <cmath>
#include <iomanip>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

#include "latency_stats.hpp"
#include "proc_stats.hpp"
#include "workflow_timeline.hpp"

namespace micro_order::bench {
namespace {

std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// Ids of customers that cannot exist in a fresh database of the bench's size.
constexpr std::int64_t kUnknownCustomerBase = 100000000;

/// The host's own view of creation-to-final-state: the micro_order_workflow_age_seconds
/// histogram of the last queue, from GET /metrics (quantiles are bucket upper bounds).
struct HostHistogram {
    std::uint64_t count = 0;
    double p50Ms = 0;
    double p99Ms = 0;
};

using Buckets = std::vector<std::pair<double, std::uint64_t>>;  // upper bound, cumulative count

/// One host's buckets of that histogram; nullopt without /metrics.
std::optional<Buckets> scrapeBuckets(const HttpTarget& target, const std::string& queue) {
    HttpReply reply;
    try {
        HttpConnection connection(target);
        reply = connection.call({"GET", "/metrics", ""}, true);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (reply.status != 200) {
        return std::nullopt;  // a host without /metrics
    }
    const std::string prefix = "micro_order_workflow_age_seconds_bucket{queue=\"" + queue + "\",le=\"";
    Buckets buckets;
    std::istringstream lines(reply.body);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(prefix, 0) != 0) {
            continue;
        }
        const auto close = line.find('"', prefix.size());
        const std::string bound = line.substr(prefix.size(), close - prefix.size());
        const double upper = bound == "+Inf" ? INFINITY : std::stod(bound);
        buckets.emplace_back(upper, std::stoull(line.substr(line.rfind(' ') + 1)));
    }
    return buckets;
}

/// The histogram summed over `targets`, one per host (every listener of a host serves the same
/// /metrics), so with several hosts each order counts once, on the host that finished it.
std::optional<HostHistogram> scrapeWorkflowAge(const std::vector<HttpTarget>& targets, const std::string& queue) {
    Buckets buckets;
    for (const auto& target : targets) {
        const auto one = scrapeBuckets(target, queue);
        if (!one) {
            return std::nullopt;
        }
        if (buckets.empty()) {
            buckets = *one;
        } else if (one->size() == buckets.size()) {
            for (std::size_t i = 0; i < buckets.size(); ++i) {
                buckets[i].second += (*one)[i].second;
            }
        } else {
            return std::nullopt;  // hosts of different builds
        }
    }
    if (buckets.empty() || buckets.back().second == 0) {
        return std::nullopt;
    }
    HostHistogram histogram;
    histogram.count = buckets.back().second;
    auto quantile = [&](double q) {
        const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(histogram.count)));
        for (const auto& [upper, cumulative] : buckets) {
            if (cumulative >= rank) {
                return upper * 1000.0;
            }
        }
        return static_cast<double>(INFINITY);
    };
    histogram.p50Ms = quantile(0.5);
    histogram.p99Ms = quantile(0.99);
    return histogram;
}

double sumCpuSeconds(const std::vector<pid_t>& pids) {
    double total = 0;
    for (const pid_t pid : pids) {
        total += std::max(0.0, processCpuSeconds(pid));
    }
    return total;
}

long sumStatusKb(const std::vector<pid_t>& pids, const std::string& key) {
    long total = 0;
    for (const pid_t pid : pids) {
        total += std::max(0L, processStatusKb(pid, key));
    }
    return total;
}

}  // namespace

bool runE2e(const E2eSpec& spec, std::ostream& out) {
    out << std::fixed << std::setprecision(2);
    const auto deadline = std::chrono::steady_clock::now() + spec.timeout;

    LoadSpec customers;
    customers.target = spec.customers;
    customers.connections = std::max(1, std::min(spec.connections, spec.customerCount));
    customers.maxRequests = spec.customerCount;
    customers.duration = spec.timeout;
    customers.make = [](std::int64_t i) {
        const std::string n = std::to_string(i + 1);
        return HttpCall{"POST", "/customers/",
                        R"({"email": "bench)" + n + R"(@example.com", "address": "Moutain View, )" + n + R"("})"};
    };
    const LoadResult created = runLoad(customers);
    out << "customers: " << created.requests << " created in " << created.seconds << " s, " << created.errors
        << " errors\n";
    if (created.errors > 0 || created.requests != spec.customerCount) {
        out << "RESULT mode=e2e name=" << spec.name << " ok=0 reason=customers_not_created\n";
        return false;
    }

    std::atomic<std::int64_t> unknown{0};
    const auto threshold = static_cast<std::uint64_t>(spec.unknownFraction * 18446744073709551615.0);
    const std::vector<HttpTarget> ordersHosts = spec.ordersHosts.empty() ? std::vector{spec.orders} : spec.ordersHosts;
    LoadSpec orders;
    orders.target = spec.orders;
    orders.targets = ordersHosts;
    orders.connections = spec.connections;
    orders.maxRequests = spec.orderCount;
    orders.duration = spec.timeout;
    orders.ratePerSecond = spec.ratePerSecond;
    orders.make = [&](std::int64_t i) {
        const std::uint64_t h = splitmix(static_cast<std::uint64_t>(i));
        std::int64_t customer;
        if (spec.unknownFraction > 0 && h < threshold) {
            unknown++;
            customer = kUnknownCustomerBase + static_cast<std::int64_t>(h % 1000000);
        } else {
            customer = 1 + static_cast<std::int64_t>(h % static_cast<std::uint64_t>(spec.customerCount));
        }
        return HttpCall{"POST", "/orders/", R"({"customer": )" + std::to_string(customer) + "}"};
    };
    const bool hosts = !spec.hostPids.empty();
    const double hostCpu0 = sumCpuSeconds(spec.hostPids);
    const double brokerCpu0 = processCpuSeconds(spec.brokerPid);
    const double databaseCpu0 = processTreeCpuSeconds(spec.databasePid);
    const double machine0 = machineBusySeconds();
    const std::int64_t machineStart = epochMicrosNow();
    LoadResult posted = runLoad(orders);
    const LatencySummary postLatency = summarize(posted.latencyMicros);
    out << "orders: " << posted.requests << " posted in " << posted.seconds << " s ("
        << static_cast<double>(posted.requests) / std::max(posted.seconds, 1e-9) << "/s, p50 " << postLatency.p50Ms
        << " ms, p99 " << postLatency.p99Ms << " ms), " << posted.errors << " errors, " << unknown.load()
        << " for unknown customers\n";

    // Completion without looking at every order: the oldest PROCESSING one, until there is none.
    HttpConnection poller(spec.orders);
    bool done = false;
    while (!done && std::chrono::steady_clock::now() < deadline) {
        try {
            const HttpReply reply = poller.call({"GET", "/orders/?status=PROCESSING&limit=1", ""}, true);
            done = reply.status == 200 && reply.body == "[]";
        } catch (const std::exception&) {
            poller = HttpConnection(spec.orders);
        }
        if (!done) {
            std::this_thread::sleep_for(spec.pollInterval);
        }
    }
    const std::int64_t doneMicros = epochMicrosNow();
    const double hostCpu = sumCpuSeconds(spec.hostPids) - hostCpu0;
    const double brokerCpu = processCpuSeconds(spec.brokerPid) - brokerCpu0;
    const double databaseCpu = spec.databasePid ? processTreeCpuSeconds(spec.databasePid) - databaseCpu0 : 0;
    const double machineBusy = machineBusySeconds() - machine0;
    const double wallSeconds = static_cast<double>(epochMicrosNow() - machineStart) / 1e6;
    // Cores busy with anything but the host, the broker and this driver: other people's work.
    const double otherCores = (machineBusy - std::max(0.0, hostCpu) - std::max(0.0, brokerCpu) -
                               std::max(0.0, databaseCpu) - posted.driverCpuSeconds) /
                              wallSeconds;
    const long hostHwmKb = sumStatusKb(spec.hostPids, "VmHWM");
    if (!done) {
        out << "not every order reached a final state within " << spec.timeout.count() << " s\n";
    }

    const auto hostHistogram = scrapeWorkflowAge(ordersHosts, "shippings.update");
    WorkflowTimeline timeline;
    try {
        timeline = readWorkflowTimeline(spec.ordersDb, spec.shippingsDb, spec.customersDb);
    } catch (const std::exception& error) {
        timeline.problem = std::string("reading the databases failed: ") + error.what();
    }
    // Without SQLite files (PostgreSQL) the counts are the caller's to check (bench/run.sh asks
    // the server); completion is by polling and time to final state is the hosts' histogram.
    const std::int64_t lastFinal = timeline.lastFinalMicros > 0 ? timeline.lastFinalMicros : doneMicros;
    const double seconds = static_cast<double>(lastFinal - posted.firstSendEpochMicros) / 1e6;
    const double ordersPerSecond = static_cast<double>(posted.requests - posted.errors) / seconds;
    const double perThousand = 1000.0 / static_cast<double>(std::max<std::int64_t>(1, posted.requests - posted.errors));
    const bool countsOk =
        spec.ordersDb.empty() || (timeline.problem.empty() && timeline.orders == posted.requests - posted.errors &&
                                  timeline.processing == 0 && timeline.cancelled == unknown.load());

    out << "final: " << posted.requests - posted.errors << " orders in " << seconds << " s = " << ordersPerSecond
        << " orders/s (first POST to last final state"
        << (timeline.lastFinalMicros > 0 ? ", from the inbox" : ", by polling") << ")\n";
    if (timeline.problem.empty()) {
        out << "  shipped " << timeline.shipped << ", cancelled " << timeline.cancelled << " (expected "
            << unknown.load() << "), processing " << timeline.processing << "; FIFO "
            << (timeline.fifoChecked ? (timeline.fifo ? "holds" : "BROKEN") : "not checked")
            << "\n  time to final state: p50 " << timeline.timeToFinal.p50Ms << " ms, p99 "
            << timeline.timeToFinal.p99Ms << " ms, max " << timeline.timeToFinal.maxMs << " ms\n";
        for (const auto& [queue, summary] : timeline.steps) {
            out << "  step " << std::left << std::setw(18) << queue << std::right << " p50 " << summary.p50Ms
                << " ms, p99 " << summary.p99Ms << " ms, max " << summary.maxMs << " ms\n";
        }
        out << "  handled per second, first to last delivery:";
        for (const auto& [queue, rate] : timeline.stepRates) {
            out << " " << queue << " " << rate;
        }
        out << "\n";
    } else {
        out << "  per-order times unavailable: " << timeline.problem << "\n";
    }
    if (hostHistogram) {
        out << "  the host's histogram (micro_order_workflow_age_seconds, shippings.update): " << hostHistogram->count
            << " orders, p50 <= " << hostHistogram->p50Ms << " ms, p99 <= " << hostHistogram->p99Ms << " ms\n";
    }
    if (hosts) {
        out << "host" << (spec.hostPids.size() > 1 ? "s (" + std::to_string(spec.hostPids.size()) + ")" : "") << ": "
            << hostCpu << " CPU s (" << hostCpu * perThousand << " per 1000 orders), peak RSS "
            << static_cast<double>(hostHwmKb) / 1024.0 << " MB";
        if (spec.brokerPid) {
            out << "; broker " << brokerCpu << " CPU s (" << brokerCpu * perThousand << " per 1000 orders)";
        }
        if (spec.databasePid) {
            out << "; database " << databaseCpu << " CPU s (" << databaseCpu * perThousand << " per 1000 orders)";
        }
        out << "\n";
    }
    if (hosts && spec.brokerPid) {
        out << "machine: " << machineBusy / wallSeconds << " cores busy on average, of which " << otherCores
            << " with other processes than the hosts, the broker, the database and the driver\n";
    }

    out << "RESULT mode=e2e name=" << spec.name << " ok=" << (done && countsOk && posted.errors == 0 ? 1 : 0)
        << " orders=" << posted.requests << " post_errors=" << posted.errors << " unknown=" << unknown.load()
        << " rate=" << spec.ratePerSecond << " seconds=" << seconds << " orders_per_s=" << ordersPerSecond
        << " post_rps=" << static_cast<double>(posted.requests) / std::max(posted.seconds, 1e-9)
        << " post_p50_ms=" << postLatency.p50Ms << " post_p99_ms=" << postLatency.p99Ms;
    if (timeline.problem.empty()) {
        out << " ttf_p50_ms=" << timeline.timeToFinal.p50Ms << " ttf_p99_ms=" << timeline.timeToFinal.p99Ms
            << " ttf_max_ms=" << timeline.timeToFinal.maxMs << " shipped=" << timeline.shipped
            << " cancelled=" << timeline.cancelled << " fifo=" << (timeline.fifo ? 1 : 0);
        for (const auto& [queue, summary] : timeline.steps) {
            out << " step_" << queue << "_p50_ms=" << summary.p50Ms << " step_" << queue << "_p99_ms=" << summary.p99Ms;
        }
        for (const auto& [queue, rate] : timeline.stepRates) {
            out << " rate_" << queue << "=" << rate;
        }
    }
    if (hostHistogram) {
        out << " hist_count=" << hostHistogram->count << " hist_p50_ms=" << hostHistogram->p50Ms
            << " hist_p99_ms=" << hostHistogram->p99Ms;
    }
    if (hosts) {
        out << " hosts=" << spec.hostPids.size() << " host_cpu_s=" << hostCpu
            << " host_cpu_s_per_1000=" << hostCpu * perThousand
            << " host_hwm_mb=" << static_cast<double>(hostHwmKb) / 1024.0;
    }
    if (spec.brokerPid) {
        out << " broker_cpu_s_per_1000=" << brokerCpu * perThousand;
    }
    if (spec.databasePid) {
        out << " database_cpu_s_per_1000=" << databaseCpu * perThousand;
    }
    if (hosts && spec.brokerPid) {
        out << " machine_busy_cores=" << machineBusy / wallSeconds << " other_cores=" << otherCores;
    }
    out << " driver_cpu_s=" << created.driverCpuSeconds + posted.driverCpuSeconds << "\n";
    return done && countsOk;
}

}  // namespace micro_order::bench
