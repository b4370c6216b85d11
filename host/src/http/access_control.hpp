#pragma once

#include <Poco/Logger.h>

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "host_config.hpp"

namespace micro_order::host {

/// Who may talk to one listener: the Host names it answers to (`allowed_hosts`, else 421) and
/// the bearer tokens it accepts (`auth.tokens_file`, else 401). Either is off when not
/// configured. /healthz and /readyz stay open (probes carry no token), /metrics too unless
/// `auth.protect_metrics`.
///
/// Tokens are kept only as SHA-256 digests and a presented token is compared, digest against
/// digest, with CRYPTO_memcmp over every known token: neither the length nor the position of a
/// difference shows in the time taken.
class AccessControl {
public:
    using Digest = std::array<unsigned char, 32>;

    /// Reads the tokens file now: a missing or unreadable file is a start-up error (throws).
    explicit AccessControl(const ListenAddress& address);

    bool hostAllowed(std::string_view hostHeader) const;
    bool needsToken(std::string_view path) const;
    /// `authorization`: the Authorization header's value ("Bearer <token>"), or empty.
    bool tokenAccepted(std::string_view authorization) const;

    /// SIGHUP: reads the tokens file again. On error the tokens in use stay (logged).
    void reload(Poco::Logger& logger);

    /// The tokens of a tokens file: one per line, blank lines and `#` comments skipped, spaces
    /// around a token ignored. Throws when the file cannot be read.
    static std::vector<std::string> readTokensFile(const std::string& path);
    /// The Host header's name: port and IPv6 brackets removed, lower-case, trailing dot dropped.
    static std::string hostName(std::string_view hostHeader);

private:
    std::shared_ptr<const std::vector<Digest>> tokens() const;

    std::string tokensFile_;
    bool protectMetrics_ = false;
    std::vector<std::string> allowedHosts_;  ///< lower-case
    mutable std::mutex mutex_;
    std::shared_ptr<const std::vector<Digest>> tokens_;  ///< swapped whole by reload()
};

}  // namespace micro_order::host
