// `http:` the listeners' threads, deadlines and limits.

#include <algorithm>

#include "config_sections.hpp"

namespace micro_order::host {

namespace {

/// Upper bounds that catch a typo before it costs the machine (a thread or a gigabyte per unit).
constexpr long long kMaxIoThreads = 256;
constexpr long long kMaxWorkerThreads = 1024;
constexpr long long kMaxHeadBytes = 1 << 20;
constexpr long long kMaxKeepAliveSeconds = 86400;

/// Poco-era keys still in installed conffiles: validated here, mapped (or ignored) with one
/// warning each once the section is read.
void readDeprecated(Reader& reader, const Field& field, HttpSettings&) { reader.readInt(field, 1, kIntMax); }

void mapDeprecated(Reader& reader, const std::map<std::string, Field>& seen, HttpSettings& http) {
    const auto number = [&](const Field& field) {
        return field.node.IsScalar() ? std::optional(std::strtoll(field.node.Scalar().c_str(), nullptr, 10))
                                     : std::nullopt;
    };
    if (const auto it = seen.find("max_threads"); it != seen.end() && number(it->second) > 0) {
        if (seen.count("worker_threads")) {
            reader.warning(it->second, "deprecated and ignored: http.worker_threads is set; remove this key");
        } else {
            http.workerThreads = static_cast<int>(std::min<long long>(*number(it->second), kMaxWorkerThreads));
            reader.warning(it->second,
                           "deprecated: read as http.worker_threads: " + std::to_string(http.workerThreads) +
                               " (handler threads per listener); rename the key");
        }
    }
    if (const auto it = seen.find("max_queued"); it != seen.end() && number(it->second) > 0) {
        if (seen.count("worker_queue")) {
            reader.warning(it->second, "deprecated and ignored: http.worker_queue is set; remove this key");
        } else {
            http.workerQueue = static_cast<int>(std::min<long long>(*number(it->second), kIntMax));
            reader.warning(it->second, "deprecated: read as http.worker_queue: " + std::to_string(http.workerQueue) +
                                           " (requests waiting for a worker); rename the key");
        }
    }
}

}  // namespace

const Section<HttpSettings>& httpSettings() {
    using H = HttpSettings;
    constexpr auto restart = Reload::restart;
    static const Section<H> section{
        {
            leaf("io_threads", &H::ioThreads, restart, integer<int>(0, kMaxIoThreads)),
            leaf("worker_threads", &H::workerThreads, restart, integer<int>(1, kMaxWorkerThreads)),
            leaf("worker_queue", &H::workerQueue, restart, integer<int>(0, kIntMax)),
            leaf("max_connections", &H::maxConnections, restart, integer<int>(1, kIntMax)),
            leaf("header_timeout_ms", &H::headerTimeoutMs, restart, integer<int>(1, kIntMax)),
            leaf("body_timeout_ms", &H::bodyTimeoutMs, restart, integer<int>(1, kIntMax)),
            leaf("keep_alive_timeout_s", &H::keepAliveTimeoutSeconds, restart, integer<int>(0, kMaxKeepAliveSeconds)),
            leaf("send_timeout_ms", &H::sendTimeoutMs, restart, integer<int>(1, kIntMax)),
            leaf("max_keep_alive_requests", &H::maxKeepAliveRequests, restart, integer<int>(0, kIntMax)),
            leaf("max_header_bytes", &H::maxHeaderBytes, restart, integer<std::size_t>(256, kMaxHeadBytes)),
            leaf("max_header_count", &H::maxHeaderCount, restart, integer<int>(1, kIntMax)),
            leaf("max_uri_bytes", &H::maxUriBytes, restart, integer<std::size_t>(16, kMaxHeadBytes)),
            leaf("max_body_bytes", &H::maxBodyBytes, restart, integer<std::size_t>(1, kLongMax)),
            alias<H>("max_threads", "http.worker_threads", "3", readDeprecated),
            alias<H>("max_queued", "http.worker_queue", "3", readDeprecated),
        },
        [](Reader& reader, const Field&, const std::map<std::string, Field>& seen, H& http) {
            mapDeprecated(reader, seen, http);
        }};
    return section;
}

}  // namespace micro_order::host
