#include "docs/status_monitor.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <condition_variable>
#include <istream>
#include <stdexcept>

namespace micro_order::docs {
namespace {

/// A host's /metrics is a few kB; anything this large is not one.
constexpr std::size_t kMaxMetricsBytes = 4 * 1024 * 1024;

}  // namespace

std::string fetchMetricsText(const DocsSource& source, std::chrono::milliseconds timeout) {
    const Poco::Timespan span(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count());
    Poco::Net::HTTPResponse response;
    std::string body;
    try {
        Poco::Net::HTTPClientSession session(source.url.getHost(), source.url.getPort());
        session.setTimeout(span, span, span);
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, source.url.getPathEtc(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        std::istream& in = session.receiveResponse(response);
        char buffer[8192];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            body.append(buffer, static_cast<std::size_t>(in.gcount()));
            if (body.size() > kMaxMetricsBytes) {
                throw std::runtime_error("more than " + std::to_string(kMaxMetricsBytes) + " bytes");
            }
        }
    } catch (const Poco::TimeoutException&) {
        throw std::runtime_error("no answer within " + std::to_string(timeout.count()) + " ms");
    } catch (const Poco::Exception& error) {
        throw std::runtime_error(error.displayText());
    }
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
        throw std::runtime_error("answered " + std::to_string(static_cast<int>(response.getStatus())));
    }
    return body;
}

StatusMonitor::StatusMonitor(StatusConfig config, std::chrono::milliseconds timeout, FetchMetrics fetch)
    : config_(std::move(config)),
      timeout_(timeout),
      fetch_(std::move(fetch)),
      capacity_(
          static_cast<std::size_t>(std::chrono::duration_cast<std::chrono::milliseconds>(config_.history).count() /
                                   std::max<std::int64_t>(1, config_.interval.count())) +
          1) {}

StatusMonitor::~StatusMonitor() { stop(); }

void StatusMonitor::start() {
    thread_ = std::jthread([this](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        while (!stop.stop_requested()) {
            sampleNow();
            std::unique_lock lock(mutex);
            wake.wait_for(lock, stop, config_.interval, [] { return false; });
        }
    });
}

void StatusMonitor::stop() {
    if (thread_.joinable()) {
        thread_.request_stop();
        thread_.join();
    }
}

void StatusMonitor::sampleNow() {
    std::vector<HostMetrics> hosts;
    for (const auto& source : config_.metrics) {
        HostMetrics host{source.name, std::nullopt, ""};
        try {
            host.text = fetch_(source, timeout_);
        } catch (const std::exception& error) {
            host.error = source.url.toString() + ": " + error.what();
        }
        hosts.push_back(std::move(host));
    }
    StatusSample sample = summarize(hosts, Poco::Timestamp());
    std::lock_guard lock(mutex_);
    samples_.push_back(std::move(sample));
    while (samples_.size() > capacity_) {
        samples_.pop_front();
    }
}

std::deque<StatusSample> StatusMonitor::samples() const {
    std::lock_guard lock(mutex_);
    return samples_;
}

}  // namespace micro_order::docs
