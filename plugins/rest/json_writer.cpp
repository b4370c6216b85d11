#include "rest/json_writer.hpp"

#include <charconv>

namespace micro_order::rest {

namespace {

bool needsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void appendEscaped(std::string& out, unsigned char c) {
    switch (c) {
        case '"':
            out += "\\\"";
            return;
        case '\\':
            out += "\\\\";
            return;
        case '\b':
            out += "\\b";
            return;
        case '\f':
            out += "\\f";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        default: {
            static constexpr char kHex[] = "0123456789ABCDEF";
            const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
            out.append(escaped, sizeof escaped);
        }
    }
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
    out += '"';
    // Copy runs of plain bytes at once; escapes are rare in stored data.
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (needsEscape(c)) {
            out.append(text, start, i - start);
            appendEscaped(out, c);
            start = i + 1;
        }
    }
    out.append(text, start, text.size() - start);
    out += '"';
}

void appendJsonInt(std::string& out, std::int64_t value) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr);
}

JsonObjectWriter::JsonObjectWriter(std::string& out) : out_(out) { out_ += '{'; }

JsonObjectWriter& JsonObjectWriter::field(std::string_view key, std::int64_t value) {
    this->key(key);
    appendJsonInt(out_, value);
    return *this;
}

JsonObjectWriter& JsonObjectWriter::field(std::string_view key, std::string_view value) {
    this->key(key);
    appendJsonString(out_, value);
    return *this;
}

void JsonObjectWriter::end() { out_ += '}'; }

void JsonObjectWriter::key(std::string_view key) {
    if (!first_) {
        out_ += ',';
    }
    first_ = false;
    appendJsonString(out_, key);
    out_ += ':';
}

}  // namespace micro_order::rest
