// `listen:` of a plugin instance: `host:port`, or a map {address, public_url, auth, allowed_hosts, tls}.

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <algorithm>
#include <charconv>

#include "config_sections.hpp"

namespace micro_order::host {

namespace {

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

/// `allowed_hosts: [name, ...]`: names as in the Host header, without port; any case.
void readAllowedHosts(Reader& reader, const Field& field, ListenAddress& listen) {
    listen.allowedHosts.clear();
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

void readAddress(Reader& reader, const Field& field, ListenAddress& listen) {
    if (auto address = parseAddress(reader, field)) {
        listen.host = address->host;
        listen.port = address->port;
    }
}

void readPublicUrl(Reader& reader, const Field& field, std::string& url) {
    url = parsePublicUrl(reader, field).value_or("");
}

/// `auth: {tokens_file: PATH, protect_metrics: BOOL}`. The tokens are read again at every
/// reload whatever changed (HttpListener::reloadTokens): a new path needs a restart.
const Section<ListenAddress>& authSettings() {
    using L = ListenAddress;
    static const Section<L> section{{
                                        leaf("tokens_file", &L::tokensFile, Reload::restart, filePath("other-tokens")),
                                        leaf("protect_metrics", &L::protectMetrics, Reload::restart, boolean()),
                                    },
                                    [](Reader& reader, const Field& map, const std::map<std::string, Field>&, L&) {
                                        reader.require(map, "tokens_file");
                                    }};
    return section;
}

/// `tls: {certificate: PATH, key: PATH}`: both PEM files, read when the listener starts.
const Section<ListenAddress>& listenTlsSettings() {
    using L = ListenAddress;
    static const Section<L> section{
        {
            leaf("certificate", &L::tlsCertificate, Reload::restart, filePath("other-cert.pem")),
            leaf("key", &L::tlsKey, Reload::restart, filePath("other-key.pem")),
        },
        [](Reader& reader, const Field& map, const std::map<std::string, Field>&, L&) {
            reader.require(map, "certificate");
            reader.require(map, "key");
        }};
    return section;
}

}  // namespace

const Section<ListenAddress>& listenSettings() {
    using L = ListenAddress;
    static const Section<L> section{{
        custom<L>("address", "host:port", "127.0.0.1:1", readAddress,
                  [](const L& a, const L& b) { return a.host == b.host && a.port == b.port; }),
        leaf("public_url", &L::publicUrl, Reload::restart,
             LeafSpec<std::string>{"absolute http(s) URL",
                                   [](const std::string&) { return "https://other.example/api"; }, readPublicUrl}),
        group("auth", authSettings),
        custom<L>("allowed_hosts", "list of host names", "[other.example]", readAllowedHosts,
                  [](const L& a, const L& b) { return a.allowedHosts == b.allowedHosts; }),
        group("tls", listenTlsSettings),
    }};
    return section;
}

std::optional<ListenAddress> parseListen(Reader& reader, const Field& field) {
    if (!field.node.IsMap()) {
        return parseAddress(reader, field);
    }
    ListenAddress listen;
    readSection(reader, field, listenSettings(), listen);
    if (!reader.require(field, "address") || listen.port == 0) {
        return std::nullopt;
    }
    return listen;
}

}  // namespace micro_order::host
