#include "http_listener.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <chrono>
#include <future>
#include <shared_mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

namespace micro_order::host {
namespace {

std::string detailBody(const std::string& detail) {
    Poco::JSON::Object body;
    body.set("detail", detail);
    std::ostringstream out;
    body.stringify(out);
    return out.str();
}

void send(Poco::Net::HTTPServerResponse& out, const Response& response) {
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
    out.setContentType(response.contentType);
    for (const auto& [name, value] : response.headers) {
        out.add(name, value);
    }
    out.setChunkedTransferEncoding(false);
    out.setContentLength(static_cast<std::streamsize>(response.body.size()));
    // send() buffers the headers in the body's stream: a small response leaves in one send()
    // call instead of sendBuffer()'s two (headers, then body), and the client wakes once.
    // For HEAD the stream's length covers the headers only and the body is dropped.
    std::ostream& stream = out.send();
    stream.write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
    stream.flush();
}

Response errorResponse(int status, const std::string& detail) { return Response::json(status, detailBody(detail)); }

/// Reads at most `limit` bytes; nullopt when the body is larger.
std::optional<std::string> readBody(Poco::Net::HTTPServerRequest& request, std::size_t limit) {
    if (request.hasContentLength() && static_cast<std::uint64_t>(request.getContentLength64()) > limit) {
        return std::nullopt;
    }
    std::string body;
    std::istream& in = request.stream();
    char buffer[8192];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (body.size() > limit) {
            return std::nullopt;
        }
    }
    return body;
}

/// Reads and drops what is left of a refused body, within bounds. Closing a socket with unread
/// data resets the connection, and a client still sending would then lose the 413 it was sent.
void discardBody(Poco::Net::HTTPServerRequest& request) {
    constexpr std::size_t kMaxBytes = 64 << 20;
    constexpr auto kMaxTime = std::chrono::seconds(2);
    const auto deadline = std::chrono::steady_clock::now() + kMaxTime;
    try {
        std::istream& in = request.stream();
        char buffer[8192];
        std::size_t dropped = 0;
        while (dropped < kMaxBytes && std::chrono::steady_clock::now() < deadline &&
               (in.read(buffer, sizeof buffer) || in.gcount() > 0)) {
            dropped += static_cast<std::size_t>(in.gcount());
        }
    } catch (const std::exception&) {
        // The client gave up: nothing left to protect.
    }
}

/// Per-listener request metrics. The series of a route, method and status are looked up in the
/// registry once; after that a request only takes a shared lock and touches atomics.
class RequestMetrics {
public:
    RequestMetrics(MetricsRegistry& registry, std::string instance)
        : registry_(registry), instance_(std::move(instance)) {}

    void record(const std::string& route, const std::string& method, int status, double seconds) {
        const std::string key = route + ' ' + method + ' ' + std::to_string(status);
        Series series{};
        {
            std::shared_lock lock(mutex_);
            if (auto it = cache_.find(key); it != cache_.end()) {
                series = it->second;
            }
        }
        if (!series.requests) {
            series.requests = &registry_.counter(
                "micro_order_http_requests_total", "HTTP requests by route, method and status",
                {{"instance", instance_}, {"route", route}, {"method", method}, {"status", std::to_string(status)}});
            series.latency =
                &registry_.histogram("micro_order_http_request_duration_seconds", "HTTP request latency by route",
                                     {{"instance", instance_}, {"route", route}});
            std::unique_lock lock(mutex_);
            cache_.emplace(key, series);
        }
        series.requests->add();
        series.latency->observe(seconds);
    }

private:
    struct Series {
        MetricsRegistry::Counter* requests;
        MetricsRegistry::Histogram* latency;
    };
    MetricsRegistry& registry_;
    std::string instance_;
    std::shared_mutex mutex_;
    std::unordered_map<std::string, Series> cache_;
};

class RoutingHandler final : public Poco::Net::HTTPRequestHandler {
public:
    RoutingHandler(const HttpRouter& router, const HttpSettings& settings, Poco::Logger& logger,
                   RequestMetrics& metrics)
        : router_(router), settings_(settings), logger_(logger), metrics_(metrics) {}

    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
        const auto began = std::chrono::steady_clock::now();
        Response response;
        try {
            response = dispatch(in);
        } catch (const HttpError& error) {
            response = error.body().empty() ? errorResponse(error.status(), error.what())
                                            : Response::json(error.status(), error.body());
        } catch (const std::exception& error) {
            // The client learns nothing of our internals; the log has everything.
            logger_.error("%s %s failed: %s", in.getMethod(), in.getURI(), std::string(error.what()));
            response = errorResponse(500, "Internal server error.");
        } catch (...) {
            logger_.error("%s %s failed with an unknown exception", in.getMethod(), in.getURI());
            response = errorResponse(500, "Internal server error.");
        }
        if (response.status == 413) {
            out.setKeepAlive(false);  // the rest of the body is still on the wire
        }
        send(out, response);
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
        metrics_.record(route_.empty() ? "(unmatched)" : route_, in.getMethod(), response.status, took.count());
        // A body left unread (refused before it was read: 404, 405, 413) would be parsed as the
        // next request on a keep-alive connection.
        if (!bodyRead_ && (in.getChunkedTransferEncoding() || (in.hasContentLength() && in.getContentLength64() > 0))) {
            discardBody(in);
        }
    }

private:
    Response dispatch(Poco::Net::HTTPServerRequest& in) {
        Poco::URI uri;
        try {
            uri = Poco::URI(in.getURI());
        } catch (const Poco::SyntaxException&) {
            return errorResponse(400, "Malformed request target.");
        }
        const HttpRouter::Match match = router_.match(in.getMethod(), uri.getPath());
        route_ = match.routeTemplate;
        if (match.kind == HttpRouter::Match::Kind::NotFound) {
            return errorResponse(404, "Not found.");
        }
        if (match.kind == HttpRouter::Match::Kind::MethodNotAllowed) {
            Response response = errorResponse(405, "Method \"" + in.getMethod() + "\" not allowed.");
            response.headers.emplace_back("Allow",
                                          Poco::cat(std::string(", "), match.allowed.begin(), match.allowed.end()));
            return response;
        }
        auto body = readBody(in, settings_.maxBodyBytes);
        bodyRead_ = body.has_value();
        if (!body) {
            return errorResponse(413,
                                 "Request body is larger than " + std::to_string(settings_.maxBodyBytes) + " bytes.");
        }
        Request request;
        request.method = in.getMethod();
        request.path = uri.getPath();
        request.pathParams = match.params;
        for (auto& [key, value] : uri.getQueryParameters()) {
            request.query.emplace_back(key, value);
        }
        for (const auto& [name, value] : in) {
            request.headers[Poco::toLower(name)] = value;
        }
        request.body = std::move(*body);
        if (in.has("Content-Type")) {
            std::string type = in.getContentType();
            request.contentType = Poco::toLower(Poco::trim(type.substr(0, type.find(';'))));
        }
        request.baseUrl = "http://" + (in.getHost().empty() ? in.serverAddress().toString() : in.getHost());
        return (*match.handler)(request);
    }

    const HttpRouter& router_;
    const HttpSettings& settings_;
    Poco::Logger& logger_;
    RequestMetrics& metrics_;
    std::string route_;
    bool bodyRead_ = false;
};

class RoutingHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    RoutingHandlerFactory(const HttpRouter& router, HttpSettings settings, Poco::Logger& logger,
                          MetricsRegistry& metrics, const std::string& instance)
        : router_(router), settings_(settings), logger_(logger), metrics_(metrics, instance) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new RoutingHandler(router_, settings_, logger_, metrics_);
    }

private:
    const HttpRouter& router_;
    HttpSettings settings_;
    Poco::Logger& logger_;
    RequestMetrics metrics_;
};

}  // namespace

HttpListener::HttpListener(const ListenAddress& address, const HttpSettings& settings, Poco::Logger& logger,
                           MetricsRegistry& metrics, const std::string& instance)
    : address_(address) {
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(address.host, address.port), true, false);
        socket.listen(256);
    } catch (const Poco::Exception& error) {
        throw std::runtime_error("cannot listen on " + address.host + ":" + std::to_string(address.port) + ": " +
                                 error.displayText());
    }
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(settings.maxThreads);
    params->setMaxQueued(settings.maxQueued);
    params->setKeepAlive(settings.keepAliveTimeoutSeconds > 0);
    params->setKeepAliveTimeout(Poco::Timespan(settings.keepAliveTimeoutSeconds, 0));
    params->setMaxKeepAliveRequests(settings.maxKeepAliveRequests);
    params->setServerName(address.host);
    // One thread per connection: the pool must hold maxThreads, or connections wait in the queue.
    threads_ = std::make_unique<Poco::ThreadPool>(2, settings.maxThreads + 1, 60);
    server_ = std::make_unique<Poco::Net::HTTPServer>(
        new RoutingHandlerFactory(router_, settings, logger, metrics, instance), *threads_, socket, params);
}

HttpListener::~HttpListener() { stop(std::chrono::milliseconds(0)); }

void HttpListener::start() {
    server_->start();
    running_ = true;
}

bool HttpListener::stop(std::chrono::milliseconds grace) {
    if (!server_) {
        return true;
    }
    if (!running_) {
        server_.reset();
        return true;
    }
    running_ = false;
    // stopAll(false) closes idle keep-alive connections and waits for requests in flight; it
    // waits without bound, so the grace period is enforced around it.
    auto stopped = std::async(std::launch::async, [this] { server_->stopAll(false); });
    bool inTime = stopped.wait_for(grace) == std::future_status::ready;
    if (!inTime) {
        server_->stopAll(true);
    }
    stopped.wait();
    threads_->joinAll();
    return inTime;
}

}  // namespace micro_order::host
