#include "redact_url.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "broker_url.hpp"

namespace micro_order::host {
namespace {

std::string redactOne(std::string_view url) {
    const auto at = url.rfind('@');
    if (at == std::string_view::npos) {
        return std::string(url);
    }
    const auto scheme = url.find("://");
    const std::size_t start = scheme != std::string_view::npos && scheme < at ? scheme + 3 : 0;
    std::string redacted(url.substr(0, start));
    redacted += "***";
    redacted += url.substr(at);
    return redacted;
}

/// libpq's keys whose values are secrets.
bool isSecretKey(std::string_view key) { return key == "password" || key == "sslpassword"; }

/// A URI's query (`?a=b&password=c`): secret values become `***`.
std::string redactQuery(std::string_view query) {
    std::string redacted;
    std::size_t start = 0;
    while (start <= query.size()) {
        const std::size_t end = std::min(query.find('&', start), query.size());
        const std::string_view pair = query.substr(start, end - start);
        const std::size_t equals = pair.find('=');
        redacted += start == 0 ? "" : "&";
        if (equals != std::string_view::npos && isSecretKey(pair.substr(0, equals))) {
            redacted += std::string(pair.substr(0, equals)) + "=***";
        } else {
            redacted += pair;
        }
        start = end + 1;
    }
    return redacted;
}

/// key=value words with optional spaces around `=` and '…' values with \ escapes; nullopt when
/// the text does not read so.
std::optional<std::string> redactKeywords(std::string_view text) {
    std::string redacted;
    std::size_t i = 0;
    const auto space = [&] {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) {
            redacted += text[i++];
        }
    };
    space();
    while (i < text.size()) {
        const std::size_t keyStart = i;
        while (i < text.size() && text[i] != '=' && !std::isspace(static_cast<unsigned char>(text[i]))) {
            ++i;
        }
        const std::string_view key = text.substr(keyStart, i - keyStart);
        redacted += key;
        space();
        if (i >= text.size() || text[i] != '=' || key.empty()) {
            return std::nullopt;
        }
        redacted += text[i++];
        space();
        const std::size_t valueStart = i;
        if (i < text.size() && text[i] == '\'') {
            for (++i; i < text.size() && text[i] != '\''; ++i) {
                i += text[i] == '\\' ? 1 : 0;
            }
            if (i >= text.size()) {
                return std::nullopt;
            }
            ++i;
        } else {
            while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) {
                i += text[i] == '\\' ? 2 : 1;
            }
            i = std::min(i, text.size());
        }
        redacted += isSecretKey(key) ? "***" : std::string(text.substr(valueStart, i - valueStart));
        space();
    }
    return redacted;
}

}  // namespace

std::string redactDatabaseUrl(std::string_view url) {
    if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
        const std::size_t question = url.find('?');
        std::string redacted = redactOne(url.substr(0, question));
        if (question != std::string_view::npos) {
            redacted += "?" + redactQuery(url.substr(question + 1));
        }
        return redacted;
    }
    if (auto redacted = redactKeywords(url)) {
        return *redacted;
    }
    return url.find("password") == std::string_view::npos ? std::string(url) : "***";
}

std::string redactUrl(std::string_view url) {
    const std::vector<std::string> nodes = splitBrokerUrls(url);
    if (nodes.size() < 2) {
        return redactOne(url);
    }
    // Node by node only when each one parses: a piece that does not may be a password cut at a
    // comma, whose rest sits in the next piece. Then the whole text is redacted as one.
    // Likewise when only some carry credentials: `amqp://u:1234` parses, yet may be the head of
    // the password of `amqp://u:1234,amqp://rest@host`.
    const bool credentials = nodes.front().find('@') != std::string::npos;
    std::string redacted;
    for (const auto& node : nodes) {
        try {
            parseBrokerUrl(node);
        } catch (const BrokerUrlError&) {
            return redactOne(url);
        }
        if ((node.find('@') != std::string::npos) != credentials) {
            return redactOne(url);
        }
        redacted += (redacted.empty() ? "" : ", ") + redactOne(node);
    }
    return redacted;
}

}  // namespace micro_order::host
