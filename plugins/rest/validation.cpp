#include "rest/validation.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <micro_order/http.hpp>
#include <sstream>

namespace micro_order::rest {

namespace messages {
std::string maxLength(std::size_t limit) {
    return "Ensure this field has no more than " + std::to_string(limit) + " characters.";
}
std::string minValue(std::int64_t limit) {
    return "Ensure this value is greater than or equal to " + std::to_string(limit) + ".";
}
std::string maxValue(std::int64_t limit) {
    return "Ensure this value is less than or equal to " + std::to_string(limit) + ".";
}
std::string invalidChoice(std::string_view value) {
    return "Select a valid choice. " + std::string(value) + " is not one of the available choices.";
}
}  // namespace messages

void ValidationErrors::add(const std::string& field, std::string_view message) {
    auto [it, inserted] = messages_.try_emplace(field);
    if (inserted) {
        order_.push_back(field);
    }
    it->second.emplace_back(message);
}

const std::vector<std::string>& ValidationErrors::of(const std::string& field) const {
    static const std::vector<std::string> kNone;
    auto it = messages_.find(field);
    return it == messages_.end() ? kNone : it->second;
}

std::string ValidationErrors::toJson() const {
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& field : order_) {
        Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
        for (const auto& message : messages_.at(field)) {
            list->add(message);
        }
        body.set(field, list);
    }
    std::ostringstream out;
    body.stringify(out);
    return out.str();
}

void ValidationErrors::throwIfAny() const {
    if (!empty()) {
        throw HttpError(400, "validation failed", toJson());
    }
}

namespace {

// Decodes the code point starting at text[pos] (the input is valid UTF-8: the JSON parser
// rejects anything else) and returns its length in bytes.
std::size_t decodeUtf8(std::string_view text, std::size_t pos, char32_t& codePoint) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    length = std::min(length, text.size() - pos);
    codePoint = length == 1 ? lead : lead & (0x3F >> (length - 1));
    for (std::size_t i = 1; i < length; ++i) {
        codePoint = (codePoint << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
    }
    return length;
}

// Python's str.isspace().
bool isPythonSpace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool isAsciiAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// An IDN label is checked after punycode in Django; a non-ASCII byte stands for a letter here.
bool isLabelChar(char c) { return isAsciiAlnum(c) || static_cast<unsigned char>(c) >= 0x80; }

bool isAtomChar(char c) {
    return isAsciiAlnum(c) || std::string_view("-!#$%&'*+/=?^_`{}|~").find(c) != std::string_view::npos;
}

bool isDotAtom(std::string_view user) {
    if (user.empty() || user.front() == '.' || user.back() == '.') {
        return false;
    }
    char previous = 0;
    for (char c : user) {
        if (c == '.' ? previous == '.' : !isAtomChar(c)) {
            return false;
        }
        previous = c;
    }
    return true;
}

bool isQuotedString(std::string_view user) {
    if (user.size() < 2 || user.front() != '"' || user.back() != '"') {
        return false;
    }
    const auto inner = user.substr(1, user.size() - 2);
    for (std::size_t i = 0; i < inner.size(); ++i) {
        const auto c = static_cast<unsigned char>(inner[i]);
        if (c == '\\') {
            if (++i == inner.size()) {
                return false;
            }
            const auto escaped = static_cast<unsigned char>(inner[i]);
            if (escaped == 0 || escaped == '\n' || escaped == '\r' || escaped > 0x7F) {
                return false;
            }
        } else if (c == 0 || c == '\t' || c == '\n' || c == '\r' || c == ' ' || c == '"' || c > 0x7F) {
            return false;
        }
    }
    return true;
}

// ((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+)(?:[A-Z0-9-]{2,63}(?<!-))\Z
bool isHostName(std::string_view domain) {
    const auto lastDot = domain.rfind('.');
    if (lastDot == std::string_view::npos) {
        return false;
    }
    const auto top = domain.substr(lastDot + 1);
    if (top.size() < 2 || top.size() > 63 || top.back() == '-') {
        return false;
    }
    for (char c : top) {
        if (!isLabelChar(c) && c != '-') {
            return false;
        }
    }
    std::string_view rest = domain.substr(0, lastDot);
    while (true) {
        const auto dot = rest.find('.');
        const auto label = rest.substr(0, dot);
        if (label.empty() || label.size() > 63 || !isLabelChar(label.front()) || !isLabelChar(label.back())) {
            return false;
        }
        for (char c : label) {
            if (!isLabelChar(c) && c != '-') {
                return false;
            }
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        rest = rest.substr(dot + 1);
    }
}

bool isIpLiteral(std::string_view domain) {
    if (domain.size() < 3 || domain.front() != '[' || domain.back() != ']') {
        return false;
    }
    const std::string address(domain.substr(1, domain.size() - 2));
    for (char c : address) {
        if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
            return false;
        }
    }
    unsigned char buffer[16];
    return inet_pton(AF_INET, address.c_str(), buffer) == 1 || inet_pton(AF_INET6, address.c_str(), buffer) == 1;
}

// Python's int() on what DRF's IntegerField passes it: surrounding whitespace and a trailing
// ".0…" are dropped, an optional sign, then digits.
enum class IntegerParse { kOk, kInvalid, kTooSmall, kTooLarge };

IntegerParse parseLenientInteger(std::string_view text, std::int64_t& value) {
    text = trimWhitespace(text);
    if (const auto dot = text.find('.'); dot != std::string_view::npos) {
        if (text.substr(dot + 1).find_first_not_of('0') != std::string_view::npos) {
            return IntegerParse::kInvalid;
        }
        text = trimWhitespace(text.substr(0, dot));
    }
    const bool negative = !text.empty() && text.front() == '-';
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        text.remove_prefix(1);
    }
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
        return IntegerParse::kInvalid;
    }
    const std::string digits = (negative ? "-" : "") + std::string(text);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error == std::errc::result_out_of_range) {
        return negative ? IntegerParse::kTooSmall : IntegerParse::kTooLarge;
    }
    return error == std::errc() && end == digits.data() + digits.size() ? IntegerParse::kOk : IntegerParse::kInvalid;
}

IntegerParse toInteger(const Poco::Dynamic::Var& value, std::int64_t& result) {
    const auto& type = value.type();
    if (type == typeid(bool) || value.isEmpty()) {
        return IntegerParse::kInvalid;
    }
    if (value.isString()) {
        return parseLenientInteger(value.extract<std::string>(), result);
    }
    if (type == typeid(Poco::UInt64)) {
        const auto unsignedValue = value.extract<Poco::UInt64>();
        if (unsignedValue > static_cast<Poco::UInt64>(std::numeric_limits<std::int64_t>::max())) {
            return IntegerParse::kTooLarge;
        }
        result = static_cast<std::int64_t>(unsignedValue);
        return IntegerParse::kOk;
    }
    if (value.isInteger()) {
        result = value.convert<std::int64_t>();
        return IntegerParse::kOk;
    }
    if (value.isNumeric()) {
        const double number = value.convert<double>();
        if (!std::isfinite(number) || number != std::floor(number)) {
            return IntegerParse::kInvalid;
        }
        // 2^63 is exactly representable; anything at or beyond it does not fit.
        if (number >= 9223372036854775808.0) {
            return IntegerParse::kTooLarge;
        }
        if (number < -9223372036854775808.0) {
            return IntegerParse::kTooSmall;
        }
        result = static_cast<std::int64_t>(number);
        return IntegerParse::kOk;
    }
    return IntegerParse::kInvalid;
}

}  // namespace

std::string_view trimWhitespace(std::string_view text) {
    std::size_t begin = 0;
    while (begin < text.size()) {
        char32_t c;
        const auto length = decodeUtf8(text, begin, c);
        if (!isPythonSpace(c)) {
            break;
        }
        begin += length;
    }
    std::size_t end = text.size();
    while (end > begin) {
        std::size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
            --start;
        }
        char32_t c;
        decodeUtf8(text, start, c);
        if (!isPythonSpace(c)) {
            break;
        }
        end = start;
    }
    return text.substr(begin, end - begin);
}

std::size_t utf8Length(std::string_view text) {
    std::size_t count = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++count;
        }
    }
    return count;
}

bool isValidEmail(std::string_view email) {
    const auto at = email.rfind('@');
    if (email.empty() || at == std::string_view::npos || email.size() > 320) {
        return false;
    }
    const auto user = email.substr(0, at);
    const auto domain = email.substr(at + 1);
    if (!isDotAtom(user) && !isQuotedString(user)) {
        return false;
    }
    return domain == "localhost" || isHostName(domain) || isIpLiteral(domain);
}

std::optional<std::int64_t> parseStrictInteger(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> readCharField(const Poco::JSON::Object& body, const std::string& name,
                                         const CharFieldRules& rules, ValidationErrors& errors) {
    if (!body.has(name)) {
        errors.add(name, messages::kRequired);
        return std::nullopt;
    }
    const auto value = body.get(name);
    if (value.isEmpty()) {
        errors.add(name, messages::kNull);
        return std::nullopt;
    }
    if (!value.isString()) {
        errors.add(name, messages::kNotAString);
        return std::nullopt;
    }
    std::string text(trimWhitespace(value.extract<std::string>()));
    if (text.empty()) {
        if (!rules.allowBlank) {
            errors.add(name, messages::kBlank);
            return std::nullopt;
        }
        return text;
    }
    // DRF runs every validator and reports each failure, in this order.
    bool valid = true;
    if (rules.maxLength != 0 && utf8Length(text) > rules.maxLength) {
        errors.add(name, messages::maxLength(rules.maxLength));
        valid = false;
    }
    if (text.find('\0') != std::string::npos) {
        errors.add(name, messages::kNullCharacters);
        valid = false;
    }
    if (rules.email && !isValidEmail(text)) {
        errors.add(name, messages::kInvalidEmail);
        valid = false;
    }
    return valid ? std::optional<std::string>(std::move(text)) : std::nullopt;
}

std::optional<std::int64_t> readIntegerField(const Poco::JSON::Object& body, const std::string& name,
                                             std::int64_t minValue, ValidationErrors& errors, std::int64_t maxValue) {
    if (!body.has(name)) {
        errors.add(name, messages::kRequired);
        return std::nullopt;
    }
    const auto value = body.get(name);
    if (value.isEmpty()) {
        errors.add(name, messages::kNull);
        return std::nullopt;
    }
    std::int64_t result = 0;
    switch (toInteger(value, result)) {
        case IntegerParse::kInvalid:
            errors.add(name, messages::kInvalidInteger);
            return std::nullopt;
        case IntegerParse::kTooLarge:
            errors.add(name, messages::maxValue(maxValue));
            return std::nullopt;
        case IntegerParse::kTooSmall:
            errors.add(name, messages::minValue(minValue));
            return std::nullopt;
        case IntegerParse::kOk:
            break;
    }
    if (result < minValue) {
        errors.add(name, messages::minValue(minValue));
        return std::nullopt;
    }
    if (result > maxValue) {
        errors.add(name, messages::maxValue(maxValue));
        return std::nullopt;
    }
    return result;
}

}  // namespace micro_order::rest
