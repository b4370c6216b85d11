#include "rest/json_numbers.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>

namespace micro_order::rest {

std::optional<std::string> firstIntegerBeyondInt64(std::string_view json) {
    bool inString = false;
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            if (c == '\\') {
                ++i;  // whatever is escaped cannot end the string
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        if (c == '"') {
            inString = true;
            continue;
        }
        if (c != '-' && !std::isdigit(static_cast<unsigned char>(c))) {
            continue;
        }
        std::size_t end = i + 1;
        while (end < json.size() && std::isdigit(static_cast<unsigned char>(json[end]))) {
            ++end;
        }
        const bool integer = end == json.size() || (json[end] != '.' && json[end] != 'e' && json[end] != 'E');
        std::int64_t value = 0;
        if (integer &&
            std::from_chars(json.data() + i, json.data() + end, value).ec == std::errc::result_out_of_range) {
            return std::string(json.substr(i, std::min<std::size_t>(end - i, 40)));
        }
        // The rest of the literal (fraction, exponent) holds no other number.
        while (end < json.size() && (std::isalnum(static_cast<unsigned char>(json[end])) || json[end] == '.' ||
                                     json[end] == '+' || json[end] == '-')) {
            ++end;
        }
        i = end - 1;
    }
    return std::nullopt;
}

}  // namespace micro_order::rest
