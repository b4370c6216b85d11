#include "broker_url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace micro_order::host {
namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/// `%XX` → the byte; `what` names the part in the error (never its text).
std::string percentDecode(std::string_view text, const char* what) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        const int high = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
        const int low = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
        if (high < 0 || low < 0) {
            throw BrokerUrlError(std::string("the ") + what + " has a '%' that is not followed by two hex digits");
        }
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view text) {
    while (!text.empty() && isBlank(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && isBlank(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

bool hasControlOrSpace(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
}

}  // namespace

std::string BrokerUrl::peer() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/" + vhost;
}

BrokerUrl parseBrokerUrl(std::string_view url) {
    BrokerUrl result;
    if (url.starts_with("amqp://")) {
        url.remove_prefix(7);
    } else if (url.starts_with("amqps://")) {
        url.remove_prefix(8);
        result.tls = true;
        result.port = 5671;
    } else {
        throw BrokerUrlError("must start with amqp:// or amqps://");
    }
    if (hasControlOrSpace(url)) {
        throw BrokerUrlError("contains a space or a control character");
    }
    if (url.find_first_of("?#") != std::string_view::npos) {
        throw BrokerUrlError("query parameters and fragments (?, #) are not supported: use the broker: settings");
    }
    // RFC 3986: the authority ends at the first '/'. A password with an unescaped '/' therefore
    // cuts the URL in the wrong place, which the checks below then catch.
    const auto slash = url.find('/');
    std::string_view authority = url.substr(0, slash);
    const std::string_view path = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view userInfo = authority.substr(0, at);
        authority.remove_prefix(at + 1);
        if (userInfo.find('@') != std::string_view::npos) {
            throw BrokerUrlError("the user or password holds an unescaped '@' (write it as %40)");
        }
        const auto colon = userInfo.find(':');
        result.user = percentDecode(userInfo.substr(0, colon), "user");
        result.password = colon == std::string_view::npos ? "" : percentDecode(userInfo.substr(colon + 1), "password");
    }
    std::string_view port;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            throw BrokerUrlError("an IPv6 host has no closing ']'");
        }
        result.host = std::string(authority.substr(1, close - 1));
        const std::string_view rest = authority.substr(close + 1);
        if (!rest.empty() && !rest.starts_with(':')) {
            throw BrokerUrlError("unexpected text after the IPv6 host");
        }
        port = rest.empty() ? rest : rest.substr(1);
    } else {
        const auto colon = authority.find(':');
        result.host = std::string(authority.substr(0, colon));
        port = colon == std::string_view::npos ? std::string_view() : authority.substr(colon + 1);
        if (colon != std::string_view::npos && port.empty()) {
            throw BrokerUrlError("has a ':' but no port after the host");
        }
    }
    if (result.host.empty()) {
        throw BrokerUrlError("has no host");
    }
    if (!port.empty()) {
        int number = 0;
        const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
        if (error != std::errc() || end != port.data() + port.size() || number < 1 || number > 65535) {
            throw BrokerUrlError(
                "the port is not a number from 1 to 65535 (a password holding '/', '@' or ':' must "
                "percent-encode them: %2F, %40, %3A)");
        }
        result.port = number;
    }
    if (path.size() > 1) {
        result.vhost = percentDecode(path.substr(1), "vhost");
    }
    return result;
}

std::vector<std::string> splitBrokerUrls(std::string_view urls) {
    std::vector<std::string> nodes;
    std::size_t start = 0;
    for (std::size_t comma = urls.find(','); comma != std::string_view::npos; comma = urls.find(',', comma + 1)) {
        std::size_t next = comma + 1;
        while (next < urls.size() && isBlank(urls[next])) {
            ++next;
        }
        const std::string_view rest = urls.substr(next);
        if (rest.starts_with("amqp://") || rest.starts_with("amqps://")) {
            nodes.emplace_back(trim(urls.substr(start, comma - start)));
            start = next;
        }
    }
    nodes.emplace_back(trim(urls.substr(start)));
    return nodes;
}

}  // namespace micro_order::host
