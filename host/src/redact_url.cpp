#include "redact_url.hpp"

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

}  // namespace

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
