#pragma once

// How the host judges one delivery before and after its handler ran: which messages are refused
// outright, and what a handler's exception means for the message.

#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace micro_order::host {

/// Why a delivery is refused before any handler sees it, or nullopt. AMQP lets a publisher put
/// any 255 bytes in `message_id` and `correlation_id`; the host keys its inbox on the one and
/// logs both, so only printable ASCII (0x20–0x7E) is taken.
std::optional<std::string> refusedIdentifiers(std::string_view messageId, std::string_view correlationId);

/// `text` with every byte outside printable ASCII (and the backslash) written as `\xNN`, cut
/// to `limit` bytes of input: safe to put in a log line or a header.
std::string escapeBytes(std::string_view text, std::size_t limit = 64);

enum class FailureKind {
    kPoison,     ///< will fail the same way on every delivery: dead-letter it now
    kTransient,  ///< the database was busy, full or failed an I/O: retry, with back-off, until it works
    kRetryable,  ///< anything else: retry a few times, then dead-letter it
};

/// What a handler's failure means. PoisonMessage is poison, and so are the parse and range
/// errors a handler gets from reading a body it cannot understand (Poco's JSON, syntax and
/// range exceptions, std::invalid_argument and std::out_of_range from std::stoll and friends):
/// retrying cannot change a body.
FailureKind classifyFailure(const std::exception& error);

}  // namespace micro_order::host
