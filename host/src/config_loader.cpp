#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <span>
#include <tuple>
#include <utility>

#include "broker_url.hpp"
#include "config_trust.hpp"
#include "file_trust.hpp"
#include "host_config.hpp"
#include "redact_url.hpp"
#include "secret_file.hpp"

namespace micro_order::host {

namespace {

namespace fs = std::filesystem;

constexpr long long kIntMax = std::numeric_limits<int>::max();
constexpr long long kLongMax = std::numeric_limits<long long>::max();

// Poco::Logger's level names, so `log_level` can go straight to Logger::parseLevel.
constexpr std::array<std::string_view, 8> kLogLevels{"fatal",  "critical",    "error", "warning",
                                                     "notice", "information", "debug", "trace"};
constexpr std::array<std::string_view, 2> kConnectors{"sqlite", "postgresql"};
constexpr std::array<std::string_view, 3> kSynchronousModes{"OFF", "NORMAL", "FULL"};
constexpr std::array<std::string_view, 2> kBooleans{"true", "false"};

std::string joinProblems(const std::vector<std::string>& problems) {
    std::string joined;
    for (const auto& problem : problems) {
        if (!joined.empty()) {
            joined += '\n';
        }
        joined += problem;
    }
    return joined;
}

std::string join(std::span<const std::string_view> words) {
    std::string joined;
    for (auto word : words) {
        joined += joined.empty() ? "" : ", ";
        joined += word;
    }
    return joined;
}

std::string join(const std::vector<std::string>& words) {
    std::vector<std::string_view> views(words.begin(), words.end());
    return join(views);
}

/// Says what a node is, for "expected X, got Y" messages.
std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map:
            return "a map";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Scalar:
            return "'" + node.Scalar() + "'";
        default:
            return "nothing";
    }
}

bool isValidName(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '.' || c == '-';
    });
}

/// A value in the file with the dotted key that leads to it, so every problem names both.
struct Field {
    YAML::Node node;
    std::string key;
    /// The value's position, or its key's when the value is an empty (implicit null) value:
    /// yaml-cpp marks those at the next token, often on the following line.
    YAML::Mark mark;
};

/// Knows the file being read and collects problems instead of stopping at the first, so a user
/// fixes a config in one round trip.
class Reader {
public:
    Reader(std::string file, fs::path folder) : file_(std::move(file)), folder_(std::move(folder)) {}

    const fs::path& folder() const { return folder_; }

    /// 1-based; a null mark (empty document) still gets a position editors can jump to.
    SourceMark sourceMark(const YAML::Mark& mark) const {
        return {file_, mark.line >= 0 ? mark.line + 1 : 1, mark.column >= 0 ? mark.column + 1 : 1};
    }

    void problem(const YAML::Mark& mark, const std::string& key, const std::string& message) {
        const SourceMark where = sourceMark(mark);
        problems_.push_back({where.line, where.column,
                             file_ + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                                 key + ": " + message});
    }

    void problem(const Field& field, const std::string& message) { problem(field.mark, field.key, message); }

    /// Something that works but should change (a deprecated key): logged, never an error.
    void warning(const Field& field, const std::string& message) {
        const SourceMark where = sourceMark(field.mark);
        warnings_.push_back(file_ + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                            field.key + ": " + message);
    }

    std::vector<std::string> takeWarnings() { return std::exchange(warnings_, {}); }

    /// Problems in file order: checks run in passes (references after definitions), the user
    /// reads top to bottom.
    std::vector<std::string> takeProblems() {
        std::stable_sort(problems_.begin(), problems_.end(), [](const auto& a, const auto& b) {
            return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
        std::vector<std::string> texts;
        for (auto& problem : problems_) {
            texts.push_back(std::move(problem.text));
        }
        problems_.clear();
        return texts;
    }

    /// Calls visit(name, value) for each entry of a map, in file order. visit returns false for a
    /// key it does not know. An empty value counts as an empty map, so `http:` alone is fine.
    bool readMap(const Field& field, const std::function<bool(const std::string& name, const Field& value)>& visit) {
        if (field.node.IsNull()) {
            return true;
        }
        if (!field.node.IsMap()) {
            problem(field, "expected a map, got " + describe(field.node));
            return false;
        }
        // yaml-cpp keeps both entries of a repeated key; the second would silently lose.
        std::map<std::string, int> seen;
        for (const auto& entry : field.node) {
            const YAML::Node& keyNode = entry.first;
            const YAML::Node& value = entry.second;
            const std::string prefix = field.key.empty() ? "" : field.key + ".";
            if (!keyNode.IsScalar()) {
                problem(keyNode.Mark(), prefix + "?", "a key must be a plain string, got " + describe(keyNode));
                continue;
            }
            const std::string& name = keyNode.Scalar();
            const Field child{value, prefix + name, value.IsNull() ? keyNode.Mark() : value.Mark()};
            if (auto [it, inserted] = seen.emplace(name, keyNode.Mark().line + 1); !inserted) {
                problem(keyNode.Mark(), child.key, "duplicate key (first at line " + std::to_string(it->second) + ")");
                continue;
            }
            if (!visit(name, child)) {
                problem(keyNode.Mark(), child.key, "unknown key");
            }
        }
        return true;
    }

    /// Calls visit(item) for each entry of a list, keys as `key[i]`.
    bool readList(const Field& field, const std::function<void(const Field& item)>& visit) {
        if (!field.node.IsSequence()) {
            problem(field, "expected a list, got " + describe(field.node));
            return false;
        }
        for (std::size_t i = 0; i < field.node.size(); ++i) {
            const YAML::Node item = field.node[i];
            visit({item, field.key + "[" + std::to_string(i) + "]", item.IsNull() ? field.mark : item.Mark()});
        }
        return true;
    }

    std::optional<long long> readInt(const Field& field, long long min, long long max) {
        if (!field.node.IsScalar()) {
            problem(field, "expected an integer, got " + describe(field.node));
            return std::nullopt;
        }
        // Decimal only: YAML 1.1 octal/hex/underscore forms in a service config are typos.
        const std::string& text = field.node.Scalar();
        long long value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc::invalid_argument || end != text.data() + text.size()) {
            problem(field, "expected an integer, got " + describe(field.node));
            return std::nullopt;
        }
        if (error == std::errc::result_out_of_range || value < min || value > max) {
            problem(field, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + text);
            return std::nullopt;
        }
        return value;
    }

    /// Assigns only a valid value, so the default stays when the file's is wrong.
    template <typename T>
    void readInt(const Field& field, T& target, long long min, long long max) {
        if (auto value = readInt(field, min, max)) {
            target = static_cast<T>(*value);
        }
    }

    std::optional<std::string> readString(const Field& field) {
        if (!field.node.IsScalar()) {
            problem(field, "expected a string, got " + describe(field.node));
            return std::nullopt;
        }
        if (field.node.Scalar().empty()) {
            problem(field, "must not be empty");
            return std::nullopt;
        }
        return field.node.Scalar();
    }

    std::optional<std::string> readChoice(const Field& field, std::span<const std::string_view> choices,
                                          bool ignoreCase = false) {
        auto text = readString(field);
        if (!text) {
            return std::nullopt;
        }
        const auto matches = [&](std::string_view choice) {
            return ignoreCase
                       ? std::equal(text->begin(), text->end(), choice.begin(), choice.end(),
                                    [](unsigned char a, unsigned char b) { return std::toupper(a) == std::toupper(b); })
                       : *text == choice;
        };
        const auto it = std::find_if(choices.begin(), choices.end(), matches);
        if (it == choices.end()) {
            problem(field, "'" + *text + "' is not one of: " + join(choices));
            return std::nullopt;
        }
        return std::string(*it);
    }

    /// Relative paths are relative to the YAML file, so a config works from any working folder.
    std::string resolvePath(const std::string& path) const {
        const fs::path p(path);
        return (p.is_absolute() ? p : folder_ / p).lexically_normal().string();
    }

    /// Reports a required key absent from a map at the map itself: there is no key to point at.
    bool require(const Field& map, const char* name) {
        if (map.node.IsMap() && map.node[name]) {
            return true;
        }
        problem(map.mark, map.key + "." + name, "missing (required)");
        return false;
    }

private:
    struct Problem {
        int line;
        int column;
        std::string text;
    };

    std::string file_;
    fs::path folder_;
    std::vector<Problem> problems_;
    std::vector<std::string> warnings_;
};

/// Upper bounds that catch a typo before it costs the machine (a thread or a gigabyte per unit).
constexpr long long kMaxIoThreads = 256;
constexpr long long kMaxWorkerThreads = 1024;
constexpr long long kMaxHeadBytes = 1 << 20;
constexpr long long kMaxKeepAliveSeconds = 86400;

void readHttp(Reader& reader, const Field& field, HttpSettings& http) {
    // Poco-era keys still in installed conffiles: mapped (or ignored) with one warning each.
    std::optional<std::pair<Field, int>> maxThreads;
    std::optional<std::pair<Field, int>> maxQueued;
    bool workerThreadsSet = false;
    bool workerQueueSet = false;
    const auto readDeprecated = [&](const Field& value, std::optional<std::pair<Field, int>>& slot) {
        if (auto number = reader.readInt(value, 1, kIntMax)) {
            slot.emplace(value, static_cast<int>(*number));
        }
    };
    reader.readMap(field, [&](const std::string& name, const Field& value) {
        if (name == "io_threads") {
            reader.readInt(value, http.ioThreads, 0, kMaxIoThreads);
        } else if (name == "worker_threads") {
            reader.readInt(value, http.workerThreads, 1, kMaxWorkerThreads);
            workerThreadsSet = true;
        } else if (name == "worker_queue") {
            reader.readInt(value, http.workerQueue, 0, kIntMax);
            workerQueueSet = true;
        } else if (name == "max_connections") {
            reader.readInt(value, http.maxConnections, 1, kIntMax);
        } else if (name == "header_timeout_ms") {
            reader.readInt(value, http.headerTimeoutMs, 1, kIntMax);
        } else if (name == "body_timeout_ms") {
            reader.readInt(value, http.bodyTimeoutMs, 1, kIntMax);
        } else if (name == "keep_alive_timeout_s") {
            reader.readInt(value, http.keepAliveTimeoutSeconds, 0, kMaxKeepAliveSeconds);
        } else if (name == "send_timeout_ms") {
            reader.readInt(value, http.sendTimeoutMs, 1, kIntMax);
        } else if (name == "max_keep_alive_requests") {
            reader.readInt(value, http.maxKeepAliveRequests, 0, kIntMax);
        } else if (name == "max_header_bytes") {
            reader.readInt(value, http.maxHeaderBytes, 256, kMaxHeadBytes);
        } else if (name == "max_header_count") {
            reader.readInt(value, http.maxHeaderCount, 1, kIntMax);
        } else if (name == "max_uri_bytes") {
            reader.readInt(value, http.maxUriBytes, 16, kMaxHeadBytes);
        } else if (name == "max_body_bytes") {
            reader.readInt(value, http.maxBodyBytes, 1, kLongMax);
        } else if (name == "max_threads") {
            readDeprecated(value, maxThreads);
        } else if (name == "max_queued") {
            readDeprecated(value, maxQueued);
        } else {
            return false;
        }
        return true;
    });
    if (maxThreads) {
        const auto& [where, threads] = *maxThreads;
        if (workerThreadsSet) {
            reader.warning(where, "deprecated and ignored: http.worker_threads is set; remove this key");
        } else {
            http.workerThreads = static_cast<int>(std::min<long long>(threads, kMaxWorkerThreads));
            reader.warning(where, "deprecated: read as http.worker_threads: " + std::to_string(http.workerThreads) +
                                      " (handler threads per listener); rename the key");
        }
    }
    if (maxQueued) {
        const auto& [where, queued] = *maxQueued;
        if (workerQueueSet) {
            reader.warning(where, "deprecated and ignored: http.worker_queue is set; remove this key");
        } else {
            http.workerQueue = queued;
            reader.warning(where, "deprecated: read as http.worker_queue: " + std::to_string(queued) +
                                      " (requests waiting for a worker); rename the key");
        }
    }
}

void readReconnect(Reader& reader, const Field& field, ReconnectSettings& reconnect) {
    std::optional<Field> maxDelay;
    reader.readMap(field, [&](const std::string& name, const Field& value) {
        if (name == "initial_delay_ms") {
            reader.readInt(value, reconnect.initialDelayMs, 1, kIntMax);
        } else if (name == "max_delay_ms") {
            reader.readInt(value, reconnect.maxDelayMs, 1, kIntMax);
            maxDelay = value;
        } else {
            return false;
        }
        return true;
    });
    if (reconnect.maxDelayMs < reconnect.initialDelayMs) {
        reader.problem(maxDelay ? *maxDelay : field, "max_delay_ms (" + std::to_string(reconnect.maxDelayMs) +
                                                         ") must be >= initial_delay_ms (" +
                                                         std::to_string(reconnect.initialDelayMs) + ")");
    }
}

/// A `*_file:` setting: the secret in the file it names (secret_file.hpp), or nullopt after a
/// problem. The file joins config.sources, for the trust checks. One mechanism for every secret
/// (broker.url_file today, database URLs next).
std::optional<std::string> readSecretSetting(Reader& reader, const Field& field, HostConfig& config,
                                             std::string& resolved) {
    auto written = reader.readString(field);
    if (!written) {
        return std::nullopt;
    }
    try {
        resolved = secretFilePath(*written, reader.folder()).string();
        std::string secret = readSecretFile(resolved);
        config.sources.push_back({resolved, true});
        return secret;
    } catch (const SecretFileError& error) {
        reader.problem(field, error.what());
        return std::nullopt;
    }
}

constexpr std::size_t kMaxPemBytes = 1024 * 1024;  // a CA bundle of every public CA is ~200 KiB

/// A file `broker.tls` names, read whole now. It joins config.sources for the trust checks.
void readTlsFile(Reader& reader, const Field& field, HostConfig& config, bool secret, const std::string& what,
                 std::string& resolved, std::string& content) {
    auto written = reader.readString(field);
    if (!written) {
        return;
    }
    try {
        resolved = secretFilePath(*written, reader.folder()).string();
        content = readSmallFile(resolved, kMaxPemBytes, what);
        config.sources.push_back({resolved, secret});
    } catch (const SecretFileError& error) {
        reader.problem(field, error.what());
    }
}

/// `broker.tls: {ca_file, verify, certificate, key}`.
void readTls(Reader& reader, const Field& field, HostConfig& config) {
    BrokerTlsSettings& tls = config.broker.tls;
    tls.configured = true;
    std::optional<Field> certificate;
    std::optional<Field> key;
    reader.readMap(field, [&](const std::string& name, const Field& value) {
        if (name == "ca_file") {
            readTlsFile(reader, value, config, false, "CA certificates", tls.caFile, tls.caPem);
        } else if (name == "verify") {
            if (auto choice = reader.readChoice(value, kBooleans)) {
                tls.verify = *choice == "true";
            }
        } else if (name == "certificate") {
            readTlsFile(reader, value, config, false, "certificate", tls.certificateFile, tls.certificatePem);
            certificate = value;
        } else if (name == "key") {
            readTlsFile(reader, value, config, true, "private key", tls.keyFile, tls.keyPem);
            key = value;
        } else {
            return false;
        }
        return true;
    });
    if (certificate.has_value() != key.has_value()) {
        reader.problem(certificate ? *certificate : *key, "a client certificate needs both certificate and key");
    }
}

/// Returns where the broker URL was written (`url` or `url_file`), to point at it if the URL
/// turns out to be invalid.
std::optional<Field> readBroker(Reader& reader, const Field& field, HostConfig& config,
                                std::optional<Field>& tlsField) {
    BrokerSettings& broker = config.broker;
    std::optional<Field> url;
    std::optional<Field> urlFile;
    reader.readMap(field, [&](const std::string& name, const Field& value) {
        if (name == "url") {
            if (auto text = reader.readString(value)) {
                broker.url = *text;
                url = value;
            }
        } else if (name == "url_file") {
            urlFile = value;
        } else if (name == "heartbeat_s") {
            reader.readInt(value, broker.heartbeatSeconds, 0, kIntMax);
        } else if (name == "outbox_batch") {
            reader.readInt(value, broker.outboxBatch, 1, kIntMax);
        } else if (name == "reconnect") {
            readReconnect(reader, value, broker.reconnect);
        } else if (name == "tls") {
            readTls(reader, value, config);
            tlsField = value;
        } else {
            return false;
        }
        return true;
    });
    if (urlFile && url) {
        reader.problem(*urlFile, "give the broker URL either as url or as url_file, not both");
        return url;
    }
    if (urlFile) {
        if (auto text = readSecretSetting(reader, *urlFile, config, broker.urlFile)) {
            broker.url = *text;
            return urlFile;
        }
        return std::nullopt;
    }
    return url;
}

/// Problems quote the URL through redactUrl() and the parser's reasons never quote it: a
/// password never reaches a message, even from a URL that does not parse.
void checkBrokerUrl(Reader& reader, const Field& where, const std::string& url, const std::string& source) {
    try {
        parseBrokerUrl(url);
    } catch (const BrokerUrlError& error) {
        reader.problem(where, "'" + redactUrl(url) + "'" + source + " is not a valid broker URL: " + error.what());
    }
}

/// `user:` must name an account this process can run as: itself, or any when started as root.
void readUser(Reader& reader, const Field& field, HostConfig& config) {
    const auto name = reader.readString(field);
    if (!name) {
        return;
    }
    const auto user = lookUpUser(*name);
    if (!user) {
        reader.problem(field, "no such user '" + *name + "'");
        return;
    }
    const uid_t self = ::geteuid();
    if (self != 0 && self != user->uid) {
        reader.problem(field, "the host runs as " + userName(self) + " and cannot become " + *name +
                                  ": start it as root (it then switches to " + *name + ") or as " + *name);
    }
    config.user = *user;
}

void readDatabase(Reader& reader, const std::string& name, const Field& field, HostConfig& config) {
    DatabaseSettings database;
    database.name = name;
    database.mark = reader.sourceMark(field.mark);
    if (!isValidName(name)) {
        reader.problem(field.mark, field.key, "a database name may only use letters, digits, '_', '.' and '-'");
    }
    if (!field.node.IsMap()) {
        reader.problem(field, "expected a map, got " + describe(field.node));
        return;
    }
    std::optional<Field> path;
    std::optional<Field> url;
    std::optional<Field> urlFile;
    reader.readMap(field, [&](const std::string& key, const Field& value) {
        if (key == "connector") {
            if (auto text = reader.readString(value)) {
                if (std::find(kConnectors.begin(), kConnectors.end(), *text) == kConnectors.end()) {
                    reader.problem(value, "unsupported connector '" + *text + "'; supported: " + join(kConnectors));
                } else {
                    database.connector = *text;
                }
            }
        } else if (key == "path") {
            if (auto text = reader.readString(value)) {
                database.path = reader.resolvePath(*text);
            }
            path = value;
        } else if (key == "url") {
            if (auto text = reader.readString(value)) {
                database.url = *text;
            }
            url = value;
        } else if (key == "url_file") {
            urlFile = value;
        } else if (key == "statement_timeout_ms") {
            reader.readInt(value, database.statementTimeoutMs, 0, kIntMax);
        } else if (key == "pool_size") {
            reader.readInt(value, database.poolSize, 1, kIntMax);
        } else if (key == "busy_timeout_ms") {
            reader.readInt(value, database.busyTimeoutMs, 0, kIntMax);
        } else if (key == "synchronous") {
            if (auto mode = reader.readChoice(value, kSynchronousModes, true)) {
                database.synchronous = *mode;
            }
        } else if (key == "inbox_retention_hours") {
            reader.readInt(value, database.inboxRetentionHours, 0, kIntMax);
        } else {
            return false;
        }
        return true;
    });
    // Which keys a database needs depends on its connector: a SQLite file, or a server's URL.
    if (database.connector == "sqlite") {
        reader.require(field, "path");
        for (const auto& misplaced : {url, urlFile}) {
            if (misplaced) {
                reader.problem(*misplaced, "only for connector: postgresql (this database is a SQLite file: path)");
            }
        }
    } else {
        if (path) {
            reader.problem(*path, "only for connector: sqlite (a PostgreSQL database is named by url or url_file)");
        }
        if (url && urlFile) {
            reader.problem(*urlFile, "give the database URL either as url or as url_file, not both");
        } else if (urlFile) {
            std::string resolved;
            if (auto text = readSecretSetting(reader, *urlFile, config, resolved)) {
                database.url = *text;
            }
        } else if (!url) {
            reader.problem(field.mark, field.key + ".url", "missing (required for connector: postgresql; or url_file)");
        }
    }
    config.databases.push_back(std::move(database));
}

void readPluginPaths(Reader& reader, const Field& field, std::vector<std::string>& paths) {
    const auto add = [&](const Field& item) {
        if (auto text = reader.readString(item)) {
            paths.push_back(reader.resolvePath(*text));
        }
    };
    if (field.node.IsSequence()) {
        reader.readList(field, add);
        if (field.node.size() == 0) {
            reader.problem(field, "must name at least one folder");
        }
    } else {
        add(field);
    }
}

/// Flattens `config:` into the dotted keys Poco's AbstractConfiguration reads: a.b, list[0].x.
void flatten(Reader& reader, const Field& field, const std::string& prefix, Poco::Util::MapConfiguration& out) {
    if (field.node.IsMap()) {
        reader.readMap(field, [&](const std::string& name, const Field& value) {
            flatten(reader, value, prefix.empty() ? name : prefix + "." + name, out);
            return true;
        });
    } else if (field.node.IsSequence()) {
        reader.readList(
            field, [&](const Field& item) { flatten(reader, item, prefix + item.key.substr(field.key.size()), out); });
    } else {
        // An empty value is still a key the plugin can test for with hasProperty().
        out.setString(prefix, field.node.IsScalar() ? field.node.Scalar() : "");
    }
}

std::optional<ListenAddress> parseAddress(Reader& reader, const Field& field) {
    auto text = reader.readString(field);
    if (!text) {
        return std::nullopt;
    }
    const auto fail = [&](const std::string& why) {
        reader.problem(field, "'" + *text + "' is not host:port: " + why);
        return std::nullopt;
    };
    const auto colon = text->rfind(':');
    if (colon == std::string::npos) {
        return fail("no port");
    }
    std::string host = text->substr(0, colon);
    const std::string port = text->substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string::npos) {
        return fail("an IPv6 address must be in brackets, e.g. [::1]:8000");
    }
    if (host.empty()) {
        return fail("no host (use 0.0.0.0 for every interface)");
    }
    int number = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || error == std::errc::invalid_argument || end != port.data() + port.size()) {
        return fail("port must be a number");
    }
    if (error == std::errc::result_out_of_range || number < 1 || number > 65535) {
        return fail("port must be between 1 and 65535");
    }
    return ListenAddress{host, static_cast<unsigned short>(number), {}};
}

/// An absolute http(s) URL without query or fragment; returned without its trailing slash, so
/// it prefixes a path as is. Links built on it go out in headers: no space or control byte.
std::optional<std::string> parsePublicUrl(Reader& reader, const Field& field) {
    auto text = reader.readString(field);
    if (!text) {
        return std::nullopt;
    }
    const auto fail = [&](const std::string& why) {
        reader.problem(field, "'" + *text + "' is not a public URL: " + why);
        return std::nullopt;
    };
    if (std::any_of(text->begin(), text->end(), [](unsigned char c) { return c <= 0x20 || c >= 0x7f; })) {
        return fail("spaces, control and non-ASCII characters are not allowed (percent-encode them)");
    }
    try {
        const Poco::URI uri(*text);
        if (uri.getScheme() != "http" && uri.getScheme() != "https") {
            return fail("the scheme must be http or https");
        }
        if (uri.getHost().empty()) {
            return fail("it has no host");
        }
        if (!uri.getUserInfo().empty() || !uri.getRawQuery().empty() || !uri.getFragment().empty() ||
            text->find_first_of("?#") != std::string::npos) {
            return fail("it must not have user info, a query or a fragment");
        }
    } catch (const Poco::Exception& error) {
        return fail(error.message());
    }
    std::string url = *text;
    while (url.ends_with('/')) {
        url.pop_back();
    }
    return url;
}

/// `auth: {tokens_file: PATH, protect_metrics: BOOL}`.
void readListenAuth(Reader& reader, const Field& field, ListenAddress& listen) {
    reader.readMap(field, [&](const std::string& name, const Field& value) {
        if (name == "tokens_file") {
            if (auto text = reader.readString(value)) {
                listen.tokensFile = reader.resolvePath(*text);
            }
        } else if (name == "protect_metrics") {
            if (auto choice = reader.readChoice(value, kBooleans)) {
                listen.protectMetrics = *choice == "true";
            }
        } else {
            return false;
        }
        return true;
    });
    reader.require(field, "tokens_file");
}

/// `allowed_hosts: [name, ...]`: names as in the Host header, without port; any case.
void readAllowedHosts(Reader& reader, const Field& field, ListenAddress& listen) {
    if (!field.node.IsSequence()) {
        reader.problem(field, "must be a list of host names");
        return;
    }
    reader.readList(field, [&](const Field& item) {
        if (auto text = reader.readString(item)) {
            if (text->empty() || text->find_first_of(" \t/@") != std::string::npos) {
                reader.problem(item, "'" + *text + "' is not a host name");
            } else {
                listen.allowedHosts.push_back(Poco::toLower(*text));
            }
        }
    });
    if (field.node.size() == 0) {
        reader.problem(field, "must name at least one host (leave it out to allow any)");
    }
}

/// `tls: {certificate: PATH, key: PATH}`: both PEM files, read when the listener starts.
void readListenTls(Reader& reader, const Field& field, ListenAddress& listen) {
    reader.readMap(field, [&](const std::string& name, const Field& value) {
        if (name == "certificate" || name == "key") {
            if (auto text = reader.readString(value)) {
                (name == "key" ? listen.tlsKey : listen.tlsCertificate) = reader.resolvePath(*text);
            }
        } else {
            return false;
        }
        return true;
    });
    reader.require(field, "certificate");
    reader.require(field, "key");
}

/// `listen: host:port`, or `listen: {address: host:port, public_url: URL, auth: ...,
/// allowed_hosts: [...], tls: ...}`.
std::optional<ListenAddress> parseListen(Reader& reader, const Field& field) {
    if (!field.node.IsMap()) {
        return parseAddress(reader, field);
    }
    std::optional<ListenAddress> address;
    ListenAddress extra;  // everything but host and port
    reader.readMap(field, [&](const std::string& name, const Field& value) {
        if (name == "address") {
            address = parseAddress(reader, value);
        } else if (name == "public_url") {
            extra.publicUrl = parsePublicUrl(reader, value).value_or("");
        } else if (name == "auth") {
            readListenAuth(reader, value, extra);
        } else if (name == "allowed_hosts") {
            readAllowedHosts(reader, value, extra);
        } else if (name == "tls") {
            readListenTls(reader, value, extra);
        } else {
            return false;
        }
        return true;
    });
    if (!reader.require(field, "address") || !address) {
        return std::nullopt;
    }
    extra.host = address->host;
    extra.port = address->port;
    return extra;
}

bool isWildcard(const std::string& host) { return host == "0.0.0.0" || host == "::"; }

/// Binding a wildcard takes the port on every address, so it clashes with any host on that port.
bool conflicts(const ListenAddress& a, const ListenAddress& b) {
    return a.port == b.port && (a.host == b.host || isWildcard(a.host) || isWildcard(b.host));
}

/// `library: name` is searched as name.so along plugin_path; anything with a '/' is a path.
std::string resolveLibrary(Reader& reader, const Field& field, const std::string& library,
                           const std::vector<std::string>& pluginPaths) {
    std::error_code error;
    if (library.find('/') != std::string::npos) {
        const std::string path = reader.resolvePath(library);
        if (!fs::is_regular_file(path, error)) {
            reader.problem(field, "library file " + path + " not found");
            return {};
        }
        return path;
    }
    for (const auto& folder : pluginPaths) {
        const std::string path = (fs::path(folder) / (library + ".so")).string();
        if (fs::is_regular_file(path, error)) {
            return path;
        }
    }
    reader.problem(field, "library " + library + ".so not found in plugin_path: " + join(pluginPaths));
    return {};
}

struct ListenSite {
    ListenAddress address;
    std::string key;
    int line;
};

void readPlugins(Reader& reader, const Field& field, HostConfig& config, bool required = true) {
    // Instances already read (from the main file, when this is a conf.d fragment) count too.
    std::map<std::string, int> nameLines;
    std::vector<ListenSite> listens;
    for (std::size_t i = 0; i < config.plugins.size(); ++i) {
        const auto& earlier = config.plugins[i];
        nameLines.emplace(earlier.name, earlier.mark.line);
        if (earlier.listen) {
            listens.push_back({*earlier.listen, "plugins[" + std::to_string(i) + "].listen of " + earlier.mark.file,
                               earlier.mark.line});
        }
    }
    if (!required && field.node.IsNull()) {
        return;
    }
    if (field.node.IsNull() || (field.node.IsSequence() && field.node.size() == 0)) {
        reader.problem(field, "must list at least one plugin instance");
        return;
    }
    reader.readList(field, [&](const Field& item) {
        PluginInstanceSettings plugin;
        plugin.config = new Poco::Util::MapConfiguration;
        plugin.mark = reader.sourceMark(item.mark);
        // Until a `config:` says otherwise, the schema's problems (a required key) point here.
        plugin.configKey = item.key + ".config";
        plugin.configMark = item.mark;
        if (!item.node.IsMap()) {
            reader.problem(item, "expected a map, got " + describe(item.node));
            return;
        }
        reader.readMap(item, [&](const std::string& name, const Field& value) {
            if (name == "name") {
                if (auto text = reader.readString(value)) {
                    if (!isValidName(*text)) {
                        reader.problem(value, "'" + *text + "' may only use letters, digits, '_', '.' and '-'");
                    } else if (auto [it, inserted] = nameLines.emplace(*text, value.mark.line + 1); !inserted) {
                        reader.problem(
                            value, "duplicate name '" + *text + "' (first at line " + std::to_string(it->second) + ")");
                    }
                    plugin.name = *text;
                }
            } else if (name == "library") {
                if (auto text = reader.readString(value)) {
                    plugin.library = *text;
                    plugin.libraryPath = resolveLibrary(reader, value, *text, config.pluginPaths);
                }
            } else if (name == "listen") {
                plugin.listen = parseListen(reader, value);
                if (plugin.listen) {
                    for (const auto& other : listens) {
                        if (conflicts(*plugin.listen, other.address)) {
                            reader.problem(value, "port " + std::to_string(plugin.listen->port) +
                                                      " is already taken by " + other.key + " (line " +
                                                      std::to_string(other.line) + ")");
                            break;
                        }
                    }
                    listens.push_back({*plugin.listen, value.key, value.mark.line + 1});
                }
            } else if (name == "database") {
                if (auto text = reader.readString(value)) {
                    if (!config.findDatabase(*text)) {
                        std::vector<std::string> names;
                        for (const auto& database : config.databases) {
                            names.push_back(database.name);
                        }
                        reader.problem(value, "unknown database '" + *text +
                                                  "' (databases: " + (names.empty() ? "none" : join(names)) + ")");
                    }
                    plugin.database = *text;
                }
            } else if (name == "config") {
                // Kept as written too: the plugin's schema is checked once its library is loaded,
                // and its problems name this file, line and column.
                plugin.configNode = value.node;
                plugin.configMark = value.mark;
                if (value.node.IsMap()) {
                    flatten(reader, value, "", *plugin.config);
                } else if (!value.node.IsNull()) {
                    reader.problem(value, "expected a map, got " + describe(value.node));
                }
            } else {
                return false;
            }
            return true;
        });
        reader.require(item, "name");
        reader.require(item, "library");
        config.plugins.push_back(std::move(plugin));
    });
}

/// conf.d/*.yaml beside the main file, in name order: each may add `databases:` and `plugins:`,
/// so a package or an operator adds an instance without editing the main file. Relative paths
/// in a fragment are relative to the main file's folder, like everything else.
/// `<name>.d/` beside `<name>.yaml` works the same for that file alone: per-service configs
/// sharing one folder each get their own fragments.
void readFragments(HostConfig& config, std::vector<std::string>& problems) {
    const fs::path main(config.file);
    std::vector<fs::path> fragments;
    for (const fs::path& folder : {main.parent_path() / "conf.d", main.parent_path() / (main.stem().string() + ".d")}) {
        std::error_code error;
        if (!fs::is_directory(folder, error)) {
            continue;
        }
        std::vector<fs::path> inFolder;
        for (const auto& entry : fs::directory_iterator(folder, error)) {
            if (entry.is_regular_file() &&
                (entry.path().extension() == ".yaml" || entry.path().extension() == ".yml")) {
                inFolder.push_back(entry.path());
            }
        }
        std::sort(inFolder.begin(), inFolder.end());
        fragments.insert(fragments.end(), inFolder.begin(), inFolder.end());
    }
    for (const auto& fragment : fragments) {
        Reader reader(fragment.string(), fs::path(config.file).parent_path());
        config.sources.push_back({fs::absolute(fragment).lexically_normal().string()});
        YAML::Node root;
        try {
            root = YAML::LoadFile(fragment.string());
        } catch (const YAML::Exception& e) {
            reader.problem(e.mark, "yaml", e.msg);
        }
        if (root.IsDefined() && !root.IsNull() && !root.IsMap()) {
            reader.problem(root.Mark(), "(top level)", "expected a map with databases: and/or plugins:");
        } else if (root.IsMap()) {
            const Field top{root, "", root.Mark()};
            std::optional<Field> pluginsField;
            reader.readMap(top, [&](const std::string& name, const Field& value) {
                if (name == "databases") {
                    reader.readMap(value, [&](const std::string& database, const Field& settings) {
                        if (config.findDatabase(database)) {
                            reader.problem(settings, "database '" + database + "' is already declared");
                        } else {
                            readDatabase(reader, database, settings, config);
                        }
                        return true;
                    });
                } else if (name == "plugins") {
                    pluginsField = value;
                } else {
                    return false;  // only databases and plugins may be added by a fragment
                }
                return true;
            });
            if (pluginsField) {
                readPlugins(reader, *pluginsField, config, false);
            }
        }
        for (auto& problem : reader.takeProblems()) {
            problems.push_back(std::move(problem));
        }
    }
}

}  // namespace

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(joinProblems(problems)), problems_(std::move(problems)) {}

HostConfig loadHostConfig(const std::string& file) {
    HostConfig config;
    config.file = fs::absolute(file).lexically_normal().string();
    config.sources.push_back({config.file});
    Reader reader(file, fs::path(config.file).parent_path());

    std::error_code error;
    if (!fs::exists(file, error)) {
        reader.problem(YAML::Mark::null_mark(), "file", "no such file");
        throw ConfigError(reader.takeProblems());
    }
    std::ifstream stream(file);
    if (fs::is_directory(file, error) || !stream) {
        reader.problem(YAML::Mark::null_mark(), "file", "cannot be read as a file");
        throw ConfigError(reader.takeProblems());
    }
    YAML::Node root;
    try {
        root = YAML::Load(stream);
    } catch (const YAML::Exception& e) {
        // Past a syntax error the document has no reliable structure to check further.
        reader.problem(e.mark, "yaml", e.msg);
        throw ConfigError(reader.takeProblems());
    }
    if (!root.IsMap()) {
        reader.problem(root.Mark(), "(top level)",
                       root.IsNull() ? "the file is empty; expected a map with at least plugins:"
                                     : "expected a map, got " + describe(root));
        throw ConfigError(reader.takeProblems());
    }

    // Plugins are read last: they refer to plugin_path and databases wherever those appear.
    const Field top{root, "", root.Mark()};
    std::optional<Field> pluginsField;
    std::optional<Field> brokerUrl;
    std::optional<Field> tlsField;
    bool pluginPathSeen = false;
    reader.readMap(top, [&](const std::string& name, const Field& value) {
        if (name == "plugin_path") {
            readPluginPaths(reader, value, config.pluginPaths);
            pluginPathSeen = true;
        } else if (name == "user") {
            readUser(reader, value, config);
        } else if (name == "log_level") {
            if (auto level = reader.readChoice(value, kLogLevels)) {
                config.logLevel = *level;
            }
        } else if (name == "shutdown_grace_ms") {
            reader.readInt(value, config.shutdownGraceMs, 0, kIntMax);
        } else if (name == "http") {
            readHttp(reader, value, config.http);
        } else if (name == "broker") {
            brokerUrl = readBroker(reader, value, config, tlsField);
        } else if (name == "databases") {
            reader.readMap(value, [&](const std::string& database, const Field& settings) {
                readDatabase(reader, database, settings, config);
                return true;
            });
        } else if (name == "plugins") {
            pluginsField = value;
        } else {
            return false;
        }
        return true;
    });

    if (!pluginPathSeen) {
        config.pluginPaths.push_back(reader.folder().string());
    }

    // An empty variable counts as unset, as `MICRO_ORDER_AMQP_URL= micro-order-host` means to
    // shells. The file's URL is checked even when overridden: the file must stand on its own.
    if (brokerUrl) {
        checkBrokerUrl(reader, *brokerUrl, config.broker.url,
                       config.broker.urlFile.empty() ? "" : " (from " + config.broker.urlFile + ")");
    }
    const char* overrideUrl = std::getenv(std::string(kAmqpUrlVariable).c_str());
    if (overrideUrl && *overrideUrl) {
        config.broker.url = overrideUrl;
        checkBrokerUrl(reader, brokerUrl.value_or(Field{root, "broker.url", root.Mark()}), config.broker.url,
                       " (from " + std::string(kAmqpUrlVariable) + ")");
    }
    if (tlsField && config.broker.url.starts_with("amqp://")) {
        reader.problem(*tlsField, "TLS settings need an amqps:// broker URL, the URL is amqp://");
    }

    if (pluginsField) {
        readPlugins(reader, *pluginsField, config);
    } else {
        reader.problem(top.mark, "plugins", "missing (required)");
    }

    auto problems = reader.takeProblems();
    config.warnings = reader.takeWarnings();
    readFragments(config, problems);
    // Only files nobody else can change: a file another user may write is their code running.
    for (auto& problem : untrustedSources(config, runUid(config))) {
        problems.push_back(std::move(problem));
    }
    if (!problems.empty()) {
        throw ConfigError(std::move(problems));
    }
    return config;
}

}  // namespace micro_order::host
