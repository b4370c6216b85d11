#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <yaml-cpp/yaml.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "service_user.hpp"

namespace micro_order::host {

/// When set (and not empty), replaces `broker.url` from the YAML file, so tests and operators can
/// point one config at another broker or vhost without editing it. The value is validated like
/// the file's, and errors about it name the variable.
inline constexpr std::string_view kAmqpUrlVariable = "MICRO_ORDER_AMQP_URL";

/// Where a value came from, for error messages: `file:line:column`.
struct SourceMark {
    std::string file;
    int line = 0;    ///< 1-based
    int column = 0;  ///< 1-based
};

/// `listen:` of a plugin instance: `host:port`, or a map {address: host:port, public_url: URL}.
struct ListenAddress {
    std::string host;  ///< e.g. 127.0.0.1
    unsigned short port = 0;
    /// `public_url`: what clients call this listener (scheme://host[:port][/prefix], no trailing
    /// slash), the prefix of absolute links; empty = links are relative.
    std::string publicUrl;
    /// `auth.tokens_file`: bearer tokens, one a line; empty = no token needed.
    std::string tokensFile{};
    bool protectMetrics = false;              ///< `auth.protect_metrics`: /metrics needs a token too
    std::vector<std::string> allowedHosts{};  ///< `allowed_hosts`: Host names answered; empty = any
    std::string tlsCertificate{};             ///< `tls.certificate` (PEM chain); empty = plain HTTP
    std::string tlsKey{};                     ///< `tls.key` (PEM)

    bool operator==(const ListenAddress&) const = default;
};

/// Event loops, worker pools, deadlines and limits of every HTTP listener (`http:` in the YAML).
struct HttpSettings {
    int ioThreads = 0;                   ///< `io_threads`: event-loop threads, 0 = one per core
    int workerThreads = 16;              ///< `worker_threads`: handler threads per listener
    int workerQueue = 256;               ///< `worker_queue`: requests waiting for a worker, then 503
    int maxConnections = 10000;          ///< `max_connections` per listener
    int headerTimeoutMs = 5000;          ///< `header_timeout_ms`: the whole request head
    int bodyTimeoutMs = 30000;           ///< `body_timeout_ms`: the whole body, after the head
    int keepAliveTimeoutSeconds = 10;    ///< `keep_alive_timeout_s`, 0 = no keep-alive
    int sendTimeoutMs = 30000;           ///< `send_timeout_ms`: the whole response
    int maxKeepAliveRequests = 0;        ///< `max_keep_alive_requests`, 0 = unlimited
    std::size_t maxHeaderBytes = 16384;  ///< `max_header_bytes`: request line + headers, else 431
    int maxHeaderCount = 100;            ///< `max_header_count`, else 431
    std::size_t maxUriBytes = 8192;      ///< `max_uri_bytes`: the request target, else 414
    std::size_t maxBodyBytes = 1 << 20;  ///< `max_body_bytes`: a route's default body limit

    bool operator==(const HttpSettings&) const = default;
};

struct ReconnectSettings {
    int initialDelayMs = 100;  ///< `initial_delay_ms`
    int maxDelayMs = 5000;     ///< `max_delay_ms`
};

/// `broker.tls:` for an amqps:// URL. The files are read whole when the config is loaded (as
/// root, before the host switches users), so the key may be readable by root alone.
struct BrokerTlsSettings {
    bool configured = false;      ///< `tls:` present
    bool verify = true;           ///< `verify`: check the broker's certificate and host name
    std::string caFile;           ///< `ca_file`, resolved; empty: the system's CAs
    std::string certificateFile;  ///< `certificate`, resolved: a client certificate (PEM chain)
    std::string keyFile;          ///< `key`, resolved: the client certificate's private key
    std::string caPem;
    std::string certificatePem;
    std::string keyPem;

    bool operator==(const BrokerTlsSettings&) const = default;
};

/// `broker.queue_type`: how the host declares queues. A queue keeps the type it was declared with.
enum class QueueType {
    classic,  ///< the original services' declaration: a mixed deployment with them needs it
    quorum,   ///< replicated (Raft) across a cluster's nodes; always durable
};

/// The YAML word of a queue type (the settings catalog's default text).
constexpr std::string_view settingText(QueueType type) { return type == QueueType::quorum ? "quorum" : "classic"; }

struct BrokerSettings {
    /// `url`, or the content of `url_file`. Show it only through redactUrl().
    std::string url = "amqp://guest:guest@127.0.0.1:5672/";
    std::string urlFile;                       ///< `url_file`, resolved (secretFilePath); empty when the URL is inline
    int heartbeatSeconds = 30;                 ///< `heartbeat_s`
    ReconnectSettings reconnect;               ///< `reconnect:`
    int outboxBatch = 256;                     ///< `outbox_batch`: rows published per confirm round
    BrokerTlsSettings tls;                     ///< `tls:`
    QueueType queueType = QueueType::classic;  ///< `queue_type`: classic or quorum
};

struct DatabaseSettings {
    std::string name;                  ///< the key under `databases:`
    std::string connector = "sqlite";  ///< `connector`: `sqlite` or `postgresql`
    std::string path;                  ///< `path` (sqlite), relative paths are relative to the YAML file
    /// `url` or the content of `url_file` (postgresql): a libpq connection URI or key=value string.
    std::string url;
    std::string urlFile;             ///< `url_file`, resolved (secretFilePath); empty when the URL is inline
    int poolSize = 8;                ///< `pool_size`
    int busyTimeoutMs = 5000;        ///< `busy_timeout_ms`: also how long a writer waits for a pooled connection
    int statementTimeoutMs = 30000;  ///< `statement_timeout_ms` (postgresql), 0 = none
    /// `synchronous`: OFF, NORMAL or FULL. FULL syncs the WAL at every commit, so a 201 or an
    /// ack the host gave survives a power loss; NORMAL keeps the file consistent but may roll the
    /// last commits back after an OS crash or a power loss (the README's guarantee table).
    std::string synchronous = "FULL";
    /// `inbox_retention_hours`: how long handled message ids are remembered for deduplication
    /// (0 = forever). Far longer than any redelivery takes; it only keeps the table bounded.
    int inboxRetentionHours = 168;
    SourceMark mark;
};

struct PluginInstanceSettings {
    std::string name;                     ///< `name`, unique
    std::string library;                  ///< `library`, as written
    std::string libraryPath;              ///< resolved absolute path of the shared library
    std::optional<ListenAddress> listen;  ///< `listen:`
    std::string database;                 ///< `database:`, empty when none
    /// `config:` flattened to dotted keys (`a.b`, `list[0]`); empty when absent.
    Poco::AutoPtr<Poco::Util::MapConfiguration> config;
    /// `config:` as written, with its positions, for the plugin's config schema (null when absent).
    YAML::Node configNode;
    std::string configKey;  ///< e.g. `plugins[3].config`
    YAML::Mark configMark;  ///< where `config:` is, or the instance when it has none
    SourceMark mark;        ///< where the instance starts in the file
};

/// A file the configuration was read from, for the trust checks (file_trust.hpp).
struct SourceFile {
    std::string path;     ///< absolute
    bool secret = false;  ///< a `*_file:` secret: must not be readable by others either
};

/// The whole YAML file, validated. Each field is filled by the one declaration of its YAML key
/// in the settings catalog (settings_catalog.hpp; the sections are config_*.cpp), which also
/// says what a reload does with a change.
struct HostConfig {
    std::string file;                 ///< absolute path of the YAML file
    std::vector<SourceFile> sources;  ///< every file read: the YAML file, conf.d fragments, secrets
    /// `user:`: the account the host switches to when started as root (after binding its
    /// listeners, before opening any database or plugin). Absent: it runs as whoever starts it.
    std::optional<ServiceUser> user;
    /// `plugin_path:` a string or a list; relative to the YAML file, absolute here. When absent,
    /// the YAML file's own folder.
    std::vector<std::string> pluginPaths;
    std::string logLevel = "information";         ///< `log_level`
    int shutdownGraceMs = 10000;                  ///< `shutdown_grace_ms`
    HttpSettings http;                            ///< `http:`
    BrokerSettings broker;                        ///< `broker:`
    std::vector<DatabaseSettings> databases;      ///< `databases:` a map name → settings, in file order
    std::vector<PluginInstanceSettings> plugins;  ///< `plugins:` a list, in file order
    /// What the file says that still works but should change (deprecated keys), one line each as
    /// `file:line:column: key: what to do`; the host logs them once at start.
    std::vector<std::string> warnings;

    const DatabaseSettings* findDatabase(const std::string& name) const {
        for (const auto& database : databases) {
            if (database.name == name) {
                return &database;
            }
        }
        return nullptr;
    }
};

/// Every problem found in a file, one per line, each as `file:line:column: key: what is wrong`.
class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(std::vector<std::string> problems);
    const std::vector<std::string>& problems() const noexcept { return problems_; }

private:
    std::vector<std::string> problems_;
};

/// Parses and validates a YAML file. Collects every problem before throwing ConfigError.
/// Relative paths are resolved against the file's folder; libraries are checked to exist but not
/// loaded. `MICRO_ORDER_AMQP_URL` (kAmqpUrlVariable) overrides `broker.url`.
HostConfig loadHostConfig(const std::string& file);

}  // namespace micro_order::host
