#include "http/request_target.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>

namespace micro_order::host {
namespace {

/// Poco's decoder, minus the exception on the common path: most components need no decoding.
bool decode(std::string_view encoded, std::string& decoded, bool plusIsSpace) {
    if (encoded.find_first_of(plusIsSpace ? "%+" : "%") == std::string_view::npos) {
        decoded.assign(encoded);
        return true;
    }
    std::string text(encoded);
    if (plusIsSpace) {
        // As Poco::URI::getQueryParameters does: form encoding's space, before the %-decoding.
        std::replace(text.begin(), text.end(), '+', ' ');
    }
    try {
        Poco::URI::decode(text, decoded);
    } catch (const Poco::SyntaxException&) {
        return false;
    }
    return true;
}

}  // namespace

std::optional<RequestTarget> decodeRequestTarget(std::string_view target) {
    if (const auto fragment = target.find('#'); fragment != std::string_view::npos) {
        target = target.substr(0, fragment);  // never sent by a client that follows RFC 9112
    }
    if (!target.starts_with('/')) {
        const auto scheme = target.find("://");
        if (scheme == std::string_view::npos || scheme == 0) {
            return std::nullopt;
        }
        const auto pathStart = target.find_first_of("/?", scheme + 3);
        target = pathStart == std::string_view::npos ? std::string_view("/") : target.substr(pathStart);
        if (target.starts_with('?')) {
            // `http://host?x=1`: the path is `/` (RFC 9110 §4.2.3)
            static thread_local std::string withSlash;
            withSlash.assign("/").append(target);
            target = withSlash;
        }
    }
    RequestTarget result;
    const auto questionMark = target.find('?');
    if (!decode(target.substr(0, questionMark), result.path, false)) {
        return std::nullopt;
    }
    if (questionMark == std::string_view::npos) {
        return result;
    }
    std::string_view query = target.substr(questionMark + 1);
    while (!query.empty()) {
        const auto ampersand = query.find('&');
        const std::string_view pair = query.substr(0, ampersand);
        query = ampersand == std::string_view::npos ? std::string_view() : query.substr(ampersand + 1);
        if (pair.empty()) {
            continue;
        }
        const auto equals = pair.find('=');
        std::pair<std::string, std::string> decoded;
        if (!decode(pair.substr(0, equals), decoded.first, true) ||
            (equals != std::string_view::npos && !decode(pair.substr(equals + 1), decoded.second, true))) {
            return std::nullopt;
        }
        result.query.push_back(std::move(decoded));
    }
    return result;
}

}  // namespace micro_order::host
