#include "delivery_policy.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/JSONException.h>

#include <micro_order/messaging.hpp>
#include <stdexcept>

#include "database/host_database.hpp"

namespace micro_order::host {
namespace {

bool isPrintableAscii(std::string_view text) {
    for (const char c : text) {
        if (c < 0x20 || c > 0x7E) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string escapeBytes(std::string_view text, std::size_t limit) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte > 0x7E || byte == '\\') {
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
        } else {
            out += static_cast<char>(byte);
        }
    }
    if (text.size() > limit) {
        out += "...";
    }
    return out;
}

std::optional<std::string> refusedIdentifiers(std::string_view messageId, std::string_view correlationId) {
    if (!isPrintableAscii(messageId)) {
        return "message_id \"" + escapeBytes(messageId) + "\" is not printable ASCII";
    }
    if (!isPrintableAscii(correlationId)) {
        return "correlation_id \"" + escapeBytes(correlationId) + "\" is not printable ASCII";
    }
    return std::nullopt;
}

FailureKind classifyFailure(const std::exception& error) {
    if (dynamic_cast<const PoisonMessage*>(&error) || dynamic_cast<const Poco::JSON::JSONException*>(&error) ||
        dynamic_cast<const Poco::SyntaxException*>(&error) || dynamic_cast<const Poco::RangeException*>(&error) ||
        dynamic_cast<const std::invalid_argument*>(&error) || dynamic_cast<const std::out_of_range*>(&error)) {
        return FailureKind::kPoison;
    }
    if (isTransientDatabaseError(error)) {
        return FailureKind::kTransient;
    }
    return FailureKind::kRetryable;
}

}  // namespace micro_order::host
