#include "rest/query_filters.hpp"

#include <algorithm>

namespace micro_order::rest {

std::optional<std::int64_t> readIdFilter(const Request& request, const std::string& name, ValidationErrors& errors) {
    const auto* text = request.queryValue(name);
    if (text == nullptr || text->empty()) {
        return std::nullopt;
    }
    const auto value = parseStrictInteger(*text);
    if (!value) {
        errors.add(name, messages::kInvalidInteger);
        return std::nullopt;
    }
    if (*value < 1) {
        errors.add(name, messages::minValue(1));
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> readChoiceFilter(const Request& request, const std::string& name,
                                            std::span<const std::string_view> choices, ValidationErrors& errors) {
    const auto* text = request.queryValue(name);
    if (text == nullptr || text->empty()) {
        return std::nullopt;
    }
    if (std::find(choices.begin(), choices.end(), *text) == choices.end()) {
        errors.add(name, messages::invalidChoice(*text));
        return std::nullopt;
    }
    return *text;
}

}  // namespace micro_order::rest
