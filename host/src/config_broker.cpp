// `broker:` where the broker is, how the host talks to it, and its TLS.

#include <algorithm>
#include <array>
#include <cstdlib>

#include "broker_url.hpp"
#include "config_sections.hpp"
#include "redact_url.hpp"
#include "secret_file.hpp"

namespace micro_order::host {

namespace {

constexpr std::array<std::string_view, 2> kQueueTypes{"classic", "quorum"};
constexpr std::size_t kMaxPemBytes = 1024 * 1024;  // a CA bundle of every public CA is ~200 KiB

/// A file `broker.tls` names, read whole now (as root, before the host switches users, so the
/// key may be readable by root alone). It joins the config's sources for the trust checks.
Key<BrokerTlsSettings> tlsFile(std::string name, std::string BrokerTlsSettings::*file,
                               std::string BrokerTlsSettings::*content, bool secret, std::string what,
                               std::string example) {
    return custom<BrokerTlsSettings>(
        std::move(name), "PEM file" + std::string(secret ? " (secret)" : ""), std::move(example),
        [=](Reader& reader, const Field& field, BrokerTlsSettings& tls) {
            auto written = reader.readString(field);
            if (!written) {
                return;
            }
            try {
                tls.*file = secretFilePath(*written, reader.folder()).string();
                tls.*content = readSmallFile(tls.*file, kMaxPemBytes, what);
                reader.config().sources.push_back({tls.*file, secret});
            } catch (const SecretFileError& error) {
                reader.problem(field, error.what());
            }
        },
        [=](const BrokerTlsSettings& a, const BrokerTlsSettings& b) {
            return a.*file == b.*file && a.*content == b.*content;
        });
}

const Section<BrokerTlsSettings>& tlsSettings() {
    using T = BrokerTlsSettings;
    static const Section<T> section{
        {
            tlsFile("ca_file", &T::caFile, &T::caPem, false, "CA certificates", "ca.pem"),
            leaf("verify", &T::verify, Reload::restart, boolean()),
            tlsFile("certificate", &T::certificateFile, &T::certificatePem, false, "certificate", "client.pem"),
            tlsFile("key", &T::keyFile, &T::keyPem, true, "private key", "client.key"),
        },
        [](Reader& reader, const Field&, const std::map<std::string, Field>& seen, T& tls) {
            tls.configured = true;
            const auto certificate = seen.find("certificate");
            const auto key = seen.find("key");
            if ((certificate == seen.end()) != (key == seen.end())) {
                reader.problem(certificate != seen.end() ? certificate->second : key->second,
                               "a client certificate needs both certificate and key");
            }
        }};
    return section;
}

const Section<ReconnectSettings>& reconnectSettings() {
    using R = ReconnectSettings;
    static const Section<R> section{
        {
            leaf("initial_delay_ms", &R::initialDelayMs, Reload::restart, integer<int>(1, kIntMax)),
            leaf("max_delay_ms", &R::maxDelayMs, Reload::restart, integer<int>(1, kIntMax)),
        },
        [](Reader& reader, const Field& map, const std::map<std::string, Field>& seen, R& reconnect) {
            if (reconnect.maxDelayMs < reconnect.initialDelayMs) {
                const auto maxDelay = seen.find("max_delay_ms");
                reader.problem(maxDelay != seen.end() ? maxDelay->second : map,
                               "max_delay_ms (" + std::to_string(reconnect.maxDelayMs) +
                                   ") must be >= initial_delay_ms (" + std::to_string(reconnect.initialDelayMs) + ")");
            }
        }};
    return section;
}

/// Problems quote the URL through redactUrl() and the parser's reasons never quote it: a
/// password never reaches a message, even from a URL that does not parse.
/// In a list of nodes, the list is quoted whole (a node that does not parse may be a password cut
/// at a comma: redactUrl hides it all then) and the node named by its number.
void checkBrokerUrl(Reader& reader, const Field& where, const std::string& url, const std::string& source) {
    const std::vector<std::string> nodes = splitBrokerUrls(url);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        try {
            parseBrokerUrl(nodes[i]);
        } catch (const BrokerUrlError& error) {
            const std::string which = nodes.size() == 1 ? "" : " (node " + std::to_string(i + 1) + ")";
            reader.problem(where,
                           "'" + redactUrl(url) + "'" + source + which + " is not a valid broker URL: " + error.what());
        }
    }
}

/// `broker.url`: one URL, or the nodes of a cluster as a list (or in one string, comma-separated,
/// as url_file and MICRO_ORDER_AMQP_URL give them): kept as one comma-separated text.
void readUrl(Reader& reader, const Field& field, std::string& url) {
    if (!field.node.IsSequence()) {
        if (auto text = reader.readString(field)) {
            url = *text;
        }
        return;
    }
    if (field.node.size() == 0) {
        reader.problem(field, "must name at least one broker node");
        return;
    }
    std::string urls;
    bool complete = true;
    reader.readList(field, [&](const Field& item) {
        const auto text = reader.readString(item);
        complete = complete && text.has_value();
        urls += (urls.empty() ? "" : ", ") + text.value_or("");
    });
    if (complete) {
        url = urls;
    }
}

void readQueueType(Reader& reader, const Field& field, QueueType& type) {
    if (auto text = reader.readChoice(field, kQueueTypes)) {
        type = *text == "quorum" ? QueueType::quorum : QueueType::classic;
    }
}

}  // namespace

void finishBroker(Reader& reader, const Field& map, const std::map<std::string, Field>& seen, BrokerSettings& broker) {
    const auto url = seen.find("url");
    const auto urlFile = seen.find("url_file");
    std::optional<Field> urlField;  // where the URL was written, to point at it if it is invalid
    if (url != seen.end() && urlFile != seen.end()) {
        reader.problem(urlFile->second, "give the broker URL either as url or as url_file, not both");
        urlField = url->second;
    } else if (urlFile != seen.end()) {
        if (auto text = reader.readSecretSetting(urlFile->second, broker.urlFile)) {
            broker.url = *text;
            urlField = urlFile->second;
        }
    } else if (url != seen.end() &&
               (url->second.node.IsSequence() || (url->second.node.IsScalar() && !url->second.node.Scalar().empty()))) {
        urlField = url->second;
    }
    // The file's URL is checked even when overridden: the file must stand on its own.
    if (urlField) {
        checkBrokerUrl(reader, *urlField, broker.url, broker.urlFile.empty() ? "" : " (from " + broker.urlFile + ")");
    }
    // An empty variable counts as unset, as `MICRO_ORDER_AMQP_URL= micro-order-host` means to shells.
    const char* overrideUrl = std::getenv(std::string(kAmqpUrlVariable).c_str());
    if (overrideUrl && *overrideUrl) {
        broker.url = overrideUrl;
        checkBrokerUrl(reader, urlField.value_or(Field{map.node, "broker.url", map.mark}), broker.url,
                       " (from " + std::string(kAmqpUrlVariable) + ")");
    }
    const auto plainNode = [](const std::string& node) { return node.starts_with("amqp://"); };
    if (const auto tls = seen.find("tls");
        tls != seen.end() && std::ranges::any_of(splitBrokerUrls(broker.url), plainNode)) {
        reader.problem(tls->second, "TLS settings need an amqps:// broker URL, the URL is amqp://");
    }
}

const Section<BrokerSettings>& brokerSettings() {
    using B = BrokerSettings;
    constexpr auto restart = Reload::restart;
    static const Section<B> section{
        {
            leaf("url", &B::url, restart,
                 LeafSpec<std::string>{
                     "AMQP URL", [](const std::string&) { return "amqps://other:secret@127.0.0.1:5673/"; }, readUrl}),
            // Read by finishBroker (one of url and url_file); its content is compared as `url`.
            leaf("url_file", &B::urlFile, restart,
                 LeafSpec<std::string>{"secret file: the AMQP URL", [](const std::string&) { return "broker.url"; },
                                       [](Reader&, const Field&, std::string&) {}}),
            leaf("heartbeat_s", &B::heartbeatSeconds, restart, integer<int>(0, kIntMax)),
            leaf("outbox_batch", &B::outboxBatch, restart, integer<int>(1, kIntMax)),
            leaf("queue_type", &B::queueType, restart,
                 LeafSpec<QueueType>{"one of: classic, quorum", [](const QueueType&) { return "quorum"; },
                                     readQueueType}),
            nested("reconnect", &B::reconnect, reconnectSettings),
            nested("tls", &B::tls, tlsSettings),
        },
        finishBroker};
    return section;
}

}  // namespace micro_order::host
