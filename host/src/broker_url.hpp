#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace micro_order::host {

/// A broker URL that does not parse. The message says what is wrong and never quotes the URL or
/// any part of it: a misplaced character may have cut the password anywhere.
class BrokerUrlError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// `amqp://user:password@host:port/vhost` taken apart, percent-decoded.
struct BrokerUrl {
    bool tls = false;  ///< `amqps://`
    std::string host;  ///< without the brackets of an IPv6 address
    int port = 5672;   ///< 5672 for amqp://, 5671 for amqps:// when the URL names none
    std::string user = "guest";
    std::string password = "guest";
    std::string vhost = "/";  ///< `/` when the URL has no path

    /// `host:port/vhost`: what log lines name a broker by (no credentials).
    std::string peer() const;
};

/// Parses an AMQP URI (RabbitMQ's spec): scheme `amqp` or `amqps`, optional `user[:password]@`
/// (guest/guest when absent), a host, an optional port and an optional vhost (`%2f` for `/`).
/// Reserved characters in the user, password and vhost must be percent-encoded (`%2F`, `%40`,
/// `%3A`). Throws BrokerUrlError.
BrokerUrl parseBrokerUrl(std::string_view url);

/// The nodes of a cluster named in one text (`broker.url`, the content of `url_file`, or
/// MICRO_ORDER_AMQP_URL), separated by commas: `amqp://u:p@a/vh, amqp://u:p@b/vh`. A comma starts
/// a new node only where `amqp://` or `amqps://` follows it (spaces allowed), so a comma in a
/// password needs no escaping. Each piece is trimmed, not parsed; one URL gives one node.
std::vector<std::string> splitBrokerUrls(std::string_view urls);

}  // namespace micro_order::host
