#include "http_load.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace micro_order::bench {
namespace {

using Clock = std::chrono::steady_clock;

double cpuSecondsOfThisProcess() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

std::int64_t epochMicrosNow() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

HttpTarget parseHttpTarget(const std::string& url) {
    const Poco::URI uri(url);
    if (uri.getScheme() != "http" || uri.getHost().empty()) {
        throw std::invalid_argument("not an http:// URL: " + url);
    }
    if (uri.getHost() != "127.0.0.1" && uri.getHost() != "localhost" && uri.getHost() != "::1") {
        throw std::invalid_argument("the bench only talks to loopback, not " + uri.getHost());
    }
    return HttpTarget{uri.getHost(), uri.getPort()};
}

HttpConnection::HttpConnection(const HttpTarget& target)
    : session_(std::make_unique<Poco::Net::HTTPClientSession>(target.host, target.port)) {
    session_->setKeepAlive(true);
    session_->setTimeout(Poco::Timespan(30, 0));
}

HttpReply HttpConnection::call(const HttpCall& call, bool keepBody) {
    try {
        return attempt(call, keepBody);
    } catch (const Poco::Exception&) {
        // The server may have closed an idle keep-alive connection: one fresh try.
        session_->reset();
        return attempt(call, keepBody);
    }
}

HttpReply HttpConnection::attempt(const HttpCall& call, bool keepBody) {
    Poco::Net::HTTPRequest request(call.method, call.path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    if (!call.body.empty()) {
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(call.body.size()));
    }
    std::ostream& out = session_->sendRequest(request);
    if (!call.body.empty()) {
        out.write(call.body.data(), static_cast<std::streamsize>(call.body.size()));
    }
    Poco::Net::HTTPResponse response;
    std::istream& in = session_->receiveResponse(response);
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    char buffer[16384];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        const auto n = static_cast<std::size_t>(in.gcount());
        reply.bodyBytes += n;
        if (keepBody) {
            reply.body.append(buffer, n);
        }
    }
    return reply;
}

LoadResult runLoad(const LoadSpec& spec) {
    std::atomic<std::int64_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex merge;
    LoadResult result;
    result.firstSendEpochMicros = INT64_MAX;
    const double cpuBefore = cpuSecondsOfThisProcess();
    const auto start = Clock::now() + std::chrono::milliseconds(20);  // every thread connected by then
    const auto deadline = start + spec.duration;
    const double perConnectionRate = spec.ratePerSecond > 0 ? spec.ratePerSecond / spec.connections : 0;

    auto worker = [&](int id) {
        std::vector<std::int64_t> latencies;
        std::int64_t requests = 0, errors = 0, first = INT64_MAX, last = 0;
        std::size_t bytes = 0;
        const HttpTarget& target =
            spec.targets.empty() ? spec.target : spec.targets[static_cast<std::size_t>(id) % spec.targets.size()];
        HttpConnection connection(target);
        std::this_thread::sleep_until(start);
        for (std::int64_t sent = 0;; ++sent) {
            auto scheduled = Clock::now();
            if (perConnectionRate > 0) {
                // Spread the connections' schedules; latency counts from the scheduled time, so a
                // stalled server is not hidden by requests that were never sent (coordinated omission).
                scheduled = start + std::chrono::microseconds(static_cast<std::int64_t>(
                                        (static_cast<double>(sent) + static_cast<double>(id) / spec.connections) * 1e6 /
                                        perConnectionRate));
                std::this_thread::sleep_until(scheduled);
            }
            if (stop.load(std::memory_order_relaxed) || Clock::now() >= deadline) {
                break;
            }
            const std::int64_t index = next.fetch_add(1);
            if (spec.maxRequests > 0 && index >= spec.maxRequests) {
                stop = true;
                break;
            }
            const HttpCall call = spec.make(index);
            const auto began = Clock::now();
            first = std::min(first, epochMicrosNow());
            try {
                const HttpReply reply = connection.call(call, false);
                requests++;
                bytes += reply.bodyBytes;
                if (reply.status < spec.okLow || reply.status > spec.okHigh) {
                    errors++;
                }
            } catch (const std::exception&) {
                errors++;
                connection = HttpConnection(target);
            }
            const auto ended = Clock::now();
            last = std::max(last, epochMicrosNow());
            latencies.push_back(std::chrono::duration_cast<std::chrono::microseconds>(
                                    ended - (perConnectionRate > 0 ? scheduled : began))
                                    .count());
        }
        std::lock_guard lock(merge);
        result.latencyMicros.insert(result.latencyMicros.end(), latencies.begin(), latencies.end());
        result.requests += requests;
        result.errors += errors;
        result.bytes += bytes;
        result.firstSendEpochMicros = std::min(result.firstSendEpochMicros, first);
        result.lastReplyEpochMicros = std::max(result.lastReplyEpochMicros, last);
    };

    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(spec.connections));
    for (int i = 0; i < spec.connections; ++i) {
        threads.emplace_back(worker, i);
    }
    for (auto& thread : threads) {
        thread.join();
    }
    result.seconds = result.lastReplyEpochMicros > result.firstSendEpochMicros
                         ? static_cast<double>(result.lastReplyEpochMicros - result.firstSendEpochMicros) / 1e6
                         : 0;
    result.driverCpuSeconds = cpuSecondsOfThisProcess() - cpuBefore;
    return result;
}

}  // namespace micro_order::bench
