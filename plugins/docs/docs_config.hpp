#pragma once

#include <Poco/URI.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace micro_order::docs {

/// One service whose OpenAPI document the page shows.
struct DocsSource {
    std::string name;  ///< letters, digits, _ . -; the page's section and /openapi/<name>.json
    Poco::URI url;     ///< http://host:port/path of the service's document
    /// `token_file`: a bearer token (first non-comment line) sent with each fetch, for a listener
    /// with `auth:`; read at every fetch, so a new token in the file needs no reload. Empty = none.
    std::string tokenFile{};
};

/// `status:` the status page at GET /status, read from the hosts' own /metrics.
struct StatusConfig {
    std::vector<DocsSource> metrics;           ///< each host's http://host:port/metrics
    std::chrono::milliseconds interval{5000};  ///< how often they are read
    std::chrono::minutes history{10};          ///< what the chart spans
};

struct DocsConfig {
    std::vector<DocsSource> sources;
    /// Connect, send and receive timeout of each fetch of a document.
    std::chrono::milliseconds timeout{2000};
    std::optional<StatusConfig> status;  ///< no status page without it
};

/// Reads the instance's `config:`
///
///     sources:                      # at least one, names unique
///       - name: orders
///         url: http://127.0.0.1:8000/openapi.json
///         token_file: /etc/micro-order/docs.token   # optional, absolute path
///     timeout_ms: 2000              # 1 to 60000
///     status:                       # optional: GET /status
///       metrics:                    # at least one, names unique
///         - name: orders
///           url: http://127.0.0.1:8000/metrics
///       interval_ms: 5000           # 100 to 60000
///       history_minutes: 10         # 1 to 60
///
/// Throws std::invalid_argument naming the key (`config.sources[1].url: …`) on anything else.
DocsConfig readDocsConfig(const Poco::Util::AbstractConfiguration& config);

/// The source called `name`, or nullptr.
const DocsSource* findSource(const DocsConfig& config, const std::string& name);

}  // namespace micro_order::docs
