#include "http/access_control.hpp"

#include <Poco/String.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace micro_order::host {

namespace {

AccessControl::Digest sha256(std::string_view text) {
    AccessControl::Digest digest{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
    return digest;
}

std::shared_ptr<const std::vector<AccessControl::Digest>> digestsOf(const std::string& path) {
    auto digests = std::make_shared<std::vector<AccessControl::Digest>>();
    for (const auto& token : AccessControl::readTokensFile(path)) {
        digests->push_back(sha256(token));
    }
    return digests;
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

/// The path without trailing slashes, as the router matches it.
std::string_view routePath(std::string_view path) {
    while (path.size() > 1 && path.back() == '/') {
        path.remove_suffix(1);
    }
    return path;
}

}  // namespace

AccessControl::AccessControl(const ListenAddress& address)
    : tokensFile_(address.tokensFile), protectMetrics_(address.protectMetrics) {
    for (const auto& host : address.allowedHosts) {
        allowedHosts_.push_back(hostName(host));
    }
    if (!tokensFile_.empty()) {
        try {
            tokens_ = digestsOf(tokensFile_);
        } catch (const std::exception& error) {
            throw std::runtime_error("listener " + address.host + ":" + std::to_string(address.port) + ": " +
                                     error.what());
        }
    }
}

std::vector<std::string> AccessControl::readTokensFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot read tokens file " + path);
    }
    std::vector<std::string> tokens;
    std::string line;
    while (std::getline(in, line)) {
        const std::string_view token = trim(line);
        if (!token.empty() && token.front() != '#') {
            tokens.emplace_back(token);
        }
    }
    if (in.bad()) {
        throw std::runtime_error("cannot read tokens file " + path);
    }
    return tokens;
}

std::string AccessControl::hostName(std::string_view host) {
    host = trim(host);
    if (!host.empty() && host.front() == '[') {
        const auto close = host.find(']');
        host = close == std::string_view::npos ? host.substr(1) : host.substr(1, close - 1);
    } else if (const auto colon = host.find(':'); colon != std::string_view::npos && host.rfind(':') == colon) {
        host = host.substr(0, colon);  // one colon: name:port (several would be a bare IPv6 address)
    }
    if (host.size() > 1 && host.back() == '.') {
        host.remove_suffix(1);
    }
    return Poco::toLower(std::string(host));
}

bool AccessControl::hostAllowed(std::string_view hostHeader) const {
    if (allowedHosts_.empty()) {
        return true;
    }
    const std::string name = hostName(hostHeader);
    return !name.empty() && std::find(allowedHosts_.begin(), allowedHosts_.end(), name) != allowedHosts_.end();
}

bool AccessControl::needsToken(std::string_view path) const {
    if (tokensFile_.empty()) {
        return false;
    }
    path = routePath(path);
    if (path == "/healthz" || path == "/readyz") {
        return false;
    }
    return path != "/metrics" || protectMetrics_;
}

bool AccessControl::tokenAccepted(std::string_view authorization) const {
    authorization = trim(authorization);
    constexpr std::string_view kScheme = "bearer ";
    if (authorization.size() <= kScheme.size() ||
        Poco::icompare(std::string(authorization.substr(0, kScheme.size())), std::string(kScheme)) != 0) {
        return false;
    }
    const Digest presented = sha256(trim(authorization.substr(kScheme.size())));
    const auto known = tokens();
    // Every token is compared, whatever matched: the time says nothing about which one.
    int matched = 0;
    for (const auto& digest : *known) {
        matched |= CRYPTO_memcmp(digest.data(), presented.data(), digest.size()) == 0 ? 1 : 0;
    }
    return matched != 0;
}

void AccessControl::reload(Poco::Logger& logger) {
    if (tokensFile_.empty()) {
        return;
    }
    try {
        auto next = digestsOf(tokensFile_);
        const std::size_t count = next->size();
        {
            std::lock_guard lock(mutex_);
            tokens_ = std::move(next);
        }
        logger.information("tokens reloaded from %s: %z token(s)", tokensFile_, count);
    } catch (const std::exception& error) {
        logger.error("tokens not reloaded, the previous ones stay: %s", std::string(error.what()));
    }
}

std::shared_ptr<const std::vector<AccessControl::Digest>> AccessControl::tokens() const {
    std::lock_guard lock(mutex_);
    return tokens_;
}

}  // namespace micro_order::host
