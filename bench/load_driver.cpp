// micro-order's load driver: one binary, one mode per scenario. Every mode prints a human report
// and one machine-readable line, `RESULT mode=<mode> key=value ...`, that bench/run.sh collects.
//
//   load_driver e2e    [--name full] --orders-url http://127.0.0.1:8000[,URL...] --customers-url http://127.0.0.1:8002
//                      [--customers 1000] [--orders 20000] [--connections 32] [--unknown-fraction 0.1]
//                      [--rate 0] [--timeout-s 120] [--orders-db F --shippings-db F --customers-db F]
//                      [--host-pid P[,P...]] [--broker-pid P] [--database-pid P]
//   load_driver http   --url http://127.0.0.1:8000 --path '/orders/{id}/' [--method GET] [--body JSON]
//                      [--id-max N] [--customer-max N] [--connections 32] [--duration-s 5]
//                      [--max-requests 0] [--name LABEL] [--host-pid P]
//                      [--idle-connections N] [--idle-path /healthz]
//   load_driver broker --url amqp://guest:guest@127.0.0.1:5672/VHOST [--messages 80000] [--size 48]
//                      [--confirm-batch 256] [--prefetch 5] [--broker-pid P]
//   load_driver fsync  --folder DIR [--duration-s 2] [--write-bytes 4120] [--file-bytes 4194304] [--threads 1]
//   load_driver wait-ready [--name host] --since-ns EPOCH_NS --log FILE --ports 8000,8001,8002 [--host-pid P]
//                      [--timeout-s 30]
//
// {id} and {customer} in --path and --body become random ids in [1, --id-max] and
// [1, --customer-max]; {index} becomes the request's number from 1 (unique: seeding rows).
// --idle-connections N: before the load, N more keep-alive connections each GET --idle-path
// once and then stay idle through the load, all held by one thread (epoll); the report says how
// many the host still held at the end, and the host's RSS with them. Loopback only.

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <signal.h>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "broker_ceiling.hpp"
#include "e2e_scenario.hpp"
#include "fsync_ceiling.hpp"
#include "http_load.hpp"
#include "idle_connections.hpp"
#include "latency_stats.hpp"
#include "proc_stats.hpp"

using namespace micro_order::bench;

namespace {

class Args {
public:
    Args(int argc, char** argv) {
        for (int i = 2; i < argc; ++i) {
            std::string key = argv[i];
            if (key.rfind("--", 0) != 0 || i + 1 >= argc) {
                throw std::invalid_argument("expected --option value, got " + key);
            }
            values_[key.substr(2)] = argv[++i];
        }
    }
    std::string text(const std::string& key, const std::string& fallback = {}) {
        used_.insert(key);
        auto it = values_.find(key);
        return it == values_.end() ? fallback : it->second;
    }
    std::string required(const std::string& key) {
        const std::string value = text(key);
        if (value.empty()) {
            throw std::invalid_argument("--" + key + " is required");
        }
        return value;
    }
    std::int64_t integer(const std::string& key, std::int64_t fallback) {
        const std::string value = text(key);
        return value.empty() ? fallback : std::stoll(value);
    }
    double real(const std::string& key, double fallback) {
        const std::string value = text(key);
        return value.empty() ? fallback : std::stod(value);
    }
    /// Fails on options no mode read: a typo must not silently run the default.
    void checkAllUsed() const {
        for (const auto& [key, value] : values_) {
            if (!used_.count(key)) {
                throw std::invalid_argument("unknown option --" + key);
            }
        }
    }

private:
    std::map<std::string, std::string> values_;
    std::set<std::string> used_;
};

std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// "a,b,c" as its items (none for an empty text).
std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        if (!item.empty()) {
            items.push_back(item);
        }
    }
    return items;
}

std::string substitute(std::string text, const std::string& name, std::int64_t value) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name)) {
        text.replace(at, name.size(), std::to_string(value));
    }
    return text;
}

int runHttp(Args& args) {
    LoadSpec spec;
    spec.target = parseHttpTarget(args.required("url"));
    spec.connections = static_cast<int>(args.integer("connections", 32));
    spec.duration = std::chrono::milliseconds(static_cast<std::int64_t>(args.real("duration-s", 5) * 1000));
    spec.maxRequests = args.integer("max-requests", 0);
    const std::string method = args.text("method", "GET");
    const std::string path = args.required("path");
    const std::string body = args.text("body");
    const std::int64_t idMax = args.integer("id-max", 1);
    const std::int64_t customerMax = args.integer("customer-max", 1);
    const std::string name = args.text("name", method + path);
    const auto hostPid = static_cast<pid_t>(args.integer("host-pid", 0));
    const auto idleCount = static_cast<int>(args.integer("idle-connections", 0));
    const std::string idlePath = args.text("idle-path", "/healthz");
    args.checkAllUsed();
    std::unique_ptr<IdleConnections> idle;
    const double hostRssBeforeMb = static_cast<double>(processStatusKb(hostPid, "VmRSS")) / 1024.0;
    if (idleCount > 0) {
        const long limit = raiseDescriptorLimit();
        if (limit < idleCount + spec.connections + 64) {
            throw std::runtime_error("RLIMIT_NOFILE hard limit " + std::to_string(limit) + " is too low for " +
                                     std::to_string(idleCount) + " idle connections");
        }
        idle = std::make_unique<IdleConnections>(spec.target, idleCount, idlePath);
        std::cout << std::fixed << std::setprecision(2) << idle->held() << " idle keep-alive connections opened in "
                  << idle->openSeconds() << " s (" << idle->failed() << " failed), host RSS " << hostRssBeforeMb
                  << " -> " << processStatusKb(hostPid, "VmRSS") / 1024.0 << " MB\n";
    }
    spec.make = [&](std::int64_t i) {
        const std::uint64_t h = mix(static_cast<std::uint64_t>(i));
        const std::int64_t id = 1 + static_cast<std::int64_t>(h % static_cast<std::uint64_t>(idMax));
        const std::int64_t customer =
            1 + static_cast<std::int64_t>((h >> 20) % static_cast<std::uint64_t>(customerMax));
        auto fill = [&](const std::string& text) {
            return substitute(substitute(substitute(text, "{id}", id), "{customer}", customer), "{index}", i + 1);
        };
        return HttpCall{method, fill(path), fill(body)};
    };
    const double hostCpu0 = processCpuSeconds(hostPid);
    const double machine0 = machineBusySeconds();
    const std::int64_t began = epochMicrosNow();
    LoadResult result = runLoad(spec);
    const double hostCpu = processCpuSeconds(hostPid) - hostCpu0;
    const double hostRssMb = static_cast<double>(processStatusKb(hostPid, "VmRSS")) / 1024.0;
    const int idleStillOpen = idle ? idle->stillOpen() : 0;
    const double machineCores =
        (machineBusySeconds() - machine0) / (static_cast<double>(epochMicrosNow() - began) / 1e6);
    const LatencySummary latency = summarize(result.latencyMicros);
    const double rps = static_cast<double>(result.requests) / std::max(result.seconds, 1e-9);
    const double perRequest = 1e6 / static_cast<double>(std::max<std::int64_t>(1, result.requests));
    std::cout << std::fixed << std::setprecision(2) << name << " x" << spec.connections << ": " << result.requests
              << " requests in " << result.seconds << " s = " << rps << "/s, p50 " << latency.p50Ms << " ms, p99 "
              << latency.p99Ms << " ms, max " << latency.maxMs << " ms, " << result.errors << " errors, "
              << result.bytes / std::max<std::int64_t>(1, result.requests) << " body bytes each";
    if (hostPid) {
        std::cout << ", host RSS " << hostRssMb << " MB";
    }
    if (idle) {
        std::cout << ", " << idleStillOpen << " of " << idleCount << " idle connections still open";
    }
    std::cout << "\n";
    const bool idleOk = !idle || (idle->failed() == 0 && idleStillOpen == idleCount);
    std::cout << "RESULT mode=http name=" << name << " connections=" << spec.connections
              << " ok=" << (result.errors == 0 && idleOk) << " requests=" << result.requests
              << " errors=" << result.errors << " rps=" << rps << " p50_ms=" << latency.p50Ms
              << " p99_ms=" << latency.p99Ms << " max_ms=" << latency.maxMs
              << " body_bytes=" << result.bytes / std::max<std::int64_t>(1, result.requests)
              << " driver_cpu_us_per_req=" << result.driverCpuSeconds * perRequest
              << " machine_busy_cores=" << machineCores;
    if (hostPid) {
        std::cout << " host_cpu_us_per_req=" << hostCpu * perRequest << " host_rss_mb=" << hostRssMb;
    }
    if (idle) {
        std::cout << " idle=" << idleCount << " idle_failed=" << idle->failed() << " idle_open_after=" << idleStillOpen
                  << " idle_open_s=" << idle->openSeconds() << " host_rss_before_idle_mb=" << hostRssBeforeMb;
    }
    std::cout << "\n";
    return result.errors == 0 && idleOk ? 0 : 1;
}

int runE2eMode(Args& args) {
    E2eSpec spec;
    spec.name = args.text("name", "full");
    // Several hosts of the orders service: their URLs separated by commas.
    for (const auto& url : splitList(args.required("orders-url"))) {
        spec.ordersHosts.push_back(parseHttpTarget(url));
    }
    spec.orders = spec.ordersHosts.front();
    spec.customers = parseHttpTarget(args.required("customers-url"));
    spec.customerCount = static_cast<int>(args.integer("customers", 1000));
    spec.orderCount = args.integer("orders", 20000);
    spec.connections = static_cast<int>(args.integer("connections", 32));
    spec.unknownFraction = args.real("unknown-fraction", 0.1);
    spec.ratePerSecond = args.real("rate", 0);
    spec.timeout = std::chrono::seconds(args.integer("timeout-s", 120));
    spec.ordersDb = args.text("orders-db");
    spec.shippingsDb = args.text("shippings-db");
    spec.customersDb = args.text("customers-db");
    for (const auto& pid : splitList(args.text("host-pid"))) {
        spec.hostPids.push_back(static_cast<pid_t>(std::stol(pid)));
    }
    spec.brokerPid = static_cast<pid_t>(args.integer("broker-pid", 0));
    spec.databasePid = static_cast<pid_t>(args.integer("database-pid", 0));
    args.checkAllUsed();
    return runE2e(spec, std::cout) ? 0 : 1;
}

int runBroker(Args& args) {
    BrokerSpec spec;
    spec.url = args.required("url");
    spec.messages = args.integer("messages", 80000);
    spec.bodyBytes = static_cast<std::size_t>(args.integer("size", 48));
    spec.confirmBatch = static_cast<int>(args.integer("confirm-batch", 256));
    spec.prefetch = static_cast<int>(args.integer("prefetch", 5));
    spec.timeout = std::chrono::seconds(args.integer("timeout-s", 120));
    spec.brokerPid = static_cast<pid_t>(args.integer("broker-pid", 0));
    args.checkAllUsed();
    return runBrokerCeiling(spec, std::cout) ? 0 : 1;
}

int runFsync(Args& args) {
    FsyncSpec spec;
    spec.folder = args.required("folder");
    spec.duration = std::chrono::milliseconds(static_cast<std::int64_t>(args.real("duration-s", 2) * 1000));
    spec.writeBytes = static_cast<std::size_t>(args.integer("write-bytes", 4120));
    spec.fileBytes = static_cast<std::size_t>(args.integer("file-bytes", 4 << 20));
    spec.threads = static_cast<int>(args.integer("threads", 1));
    args.checkAllUsed();
    return runFsyncCeiling(spec, std::cout) ? 0 : 1;
}

/// Answers when the listener serves: a connection accepted by the kernel before the server
/// started waits in the backlog, so the first reply marks the moment it serves.
bool portServes(std::uint16_t port) {
    try {
        Poco::Net::HTTPClientSession session("127.0.0.1", port);
        session.setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/", Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        session.receiveResponse(response);
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

int runWaitReady(Args& args) {
    const std::int64_t sinceMicros = args.integer("since-ns", 0) / 1000;
    const std::string log = args.required("log");
    std::vector<std::uint16_t> ports;
    std::stringstream list(args.required("ports"));
    for (std::string port; std::getline(list, port, ',');) {
        ports.push_back(static_cast<std::uint16_t>(std::stoi(port)));
    }
    const auto hostPid = static_cast<pid_t>(args.integer("host-pid", 0));
    const std::string name = args.text("name", "host");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(args.integer("timeout-s", 30));
    args.checkAllUsed();

    double logReadyMs = -1, servingMs = -1, reportedMs = -1;
    std::size_t nextPort = 0;
    while (std::chrono::steady_clock::now() < deadline && (logReadyMs < 0 || nextPort < ports.size())) {
        if (hostPid && kill(hostPid, 0) != 0) {
            std::cout << "the host exited before it was ready; see " << log << "\nRESULT mode=ready name=" << name
                      << " ok=0\n";
            return 1;
        }
        if (logReadyMs < 0) {
            std::ifstream in(log);
            for (std::string line; std::getline(in, line);) {
                if (line.find("] ready: ") != std::string::npos) {
                    logReadyMs = static_cast<double>(epochMicrosNow() - sinceMicros) / 1000.0;
                    if (auto took = line.rfind(" in "); took != std::string::npos) {
                        reportedMs = std::stod(line.substr(took + 4));
                    }
                    break;
                }
            }
        }
        while (nextPort < ports.size() && portServes(ports[nextPort])) {
            nextPort++;
        }
        if (nextPort == ports.size() && servingMs < 0) {
            servingMs = static_cast<double>(epochMicrosNow() - sinceMicros) / 1000.0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const bool ok = logReadyMs >= 0 && servingMs >= 0;
    std::cout << std::fixed << std::setprecision(1) << "ready: log line after " << logReadyMs
              << " ms, every port serving after " << servingMs << " ms (host says " << reportedMs << " ms), RSS "
              << processStatusKb(hostPid, "VmRSS") / 1024.0 << " MB\nRESULT mode=ready name=" << name << " ok=" << ok
              << " log_ready_ms=" << logReadyMs << " serving_ms=" << servingMs << " host_reported_ms=" << reportedMs
              << "\n";
    return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: load_driver e2e|http|broker|fsync|wait-ready --option value ... (see load_driver.cpp)\n";
        return 2;
    }
    const std::string mode = argv[1];
    try {
        Args args(argc, argv);
        if (mode == "http") {
            return runHttp(args);
        }
        if (mode == "e2e") {
            return runE2eMode(args);
        }
        if (mode == "broker") {
            return runBroker(args);
        }
        if (mode == "fsync") {
            return runFsync(args);
        }
        if (mode == "wait-ready") {
            return runWaitReady(args);
        }
        std::cerr << "unknown mode " << mode << "\n";
        return 2;
    } catch (const Poco::Exception& error) {
        std::cerr << "load_driver " << mode << ": " << error.displayText() << "\n";
    } catch (const std::exception& error) {
        std::cerr << "load_driver " << mode << ": " << error.what() << "\n";
    }
    return 2;
}
