#include "log_escape.hpp"

#include <Poco/Message.h>

#include <algorithm>
#include <array>

namespace micro_order::host {
namespace {

void appendHex(std::string& out, unsigned char byte) {
    static constexpr std::array<char, 16> kDigits{'0', '1', '2', '3', '4', '5', '6', '7',
                                                  '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    out += "\\x";
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xf];
}

/// The length of the valid UTF-8 sequence at `text[i]` (2 to 4), or 0 when there is none.
std::size_t utf8Length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned minimum = 0;
    unsigned codePoint = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2, minimum = 0x80, codePoint = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3, minimum = 0x800, codePoint = lead & 0x0f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4, minimum = 0x10000, codePoint = lead & 0x07;
    } else {
        return 0;
    }
    if (i + length > text.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) {
            return 0;
        }
        codePoint = (codePoint << 6) | (byte(i + k) & 0x3f);
    }
    const bool surrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
    // C1 controls (U+0080-U+009F, NEL among them) and U+2028/U+2029 end lines in some viewers.
    const bool lineBreaking = (codePoint >= 0x80 && codePoint <= 0x9f) || codePoint == 0x2028 || codePoint == 0x2029;
    if (codePoint < minimum || codePoint > 0x10ffff || surrogate || lineBreaking) {
        return 0;
    }
    return length;
}

/// Escapes `text` into `out`; stops before `maxBytes` of input and returns where it stopped.
std::size_t escapeInto(std::string& out, std::string_view text, std::size_t maxBytes) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
            if (i + 1 > maxBytes) {
                break;
            }
            out += text[i++];
        } else if (const std::size_t length = byte >= 0x80 ? utf8Length(text, i) : 0) {
            if (i + length > maxBytes) {
                break;  // a character is shown whole or not at all
            }
            out.append(text.substr(i, length));
            i += length;
        } else {
            if (i + 1 > maxBytes) {
                break;
            }
            appendHex(out, byte);
            ++i;
        }
    }
    return i;
}

}  // namespace

std::string escapeForLog(std::string_view value, std::size_t maxBytes) {
    std::string out;
    out.reserve(std::min(value.size(), maxBytes) + 8);
    const std::size_t shown = escapeInto(out, value, maxBytes);
    if (shown < value.size()) {
        out += "…(+" + std::to_string(value.size() - shown) + " bytes)";
    }
    return out;
}

void OneLineFormatter::format(const Poco::Message& message, std::string& text) {
    // Only control bytes can split a line; other bytes are left to escapeForLog at the call site
    // (so UTF-8 in the host's own texts stays readable).
    const std::string& original = message.getText();
    const bool hasControl = std::any_of(original.begin(), original.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
    });
    if (!hasControl) {
        inner_->format(message, text);
        return;
    }
    std::string escaped;
    escaped.reserve(original.size() + 16);
    for (const char c : original) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            appendHex(escaped, byte);
        } else {
            escaped += c;
        }
    }
    Poco::Message copy(message);
    copy.setText(escaped);
    inner_->format(copy, text);
}

}  // namespace micro_order::host
