#include "settings_catalog.hpp"

#include <algorithm>
#include <cctype>

namespace micro_order::host {

LeafSpec<std::string> choice(std::span<const std::string_view> choices, bool ignoreCase) {
    std::vector<std::string> words(choices.begin(), choices.end());
    return {"one of: " + join(choices),
            [words](const std::string& value) {
                const auto other =
                    std::find_if(words.begin(), words.end(), [&](const std::string& word) { return word != value; });
                return other == words.end() ? std::string() : *other;
            },
            [words, ignoreCase](Reader& reader, const Field& field, std::string& target) {
                const std::vector<std::string_view> views(words.begin(), words.end());
                if (auto text = reader.readChoice(field, views, ignoreCase)) {
                    target = *text;
                }
            }};
}

LeafSpec<bool> boolean() {
    static constexpr std::array<std::string_view, 2> kWords{"true", "false"};
    return {"true or false", [](bool value) { return value ? "false" : "true"; },
            [](Reader& reader, const Field& field, bool& target) {
                if (auto text = reader.readChoice(field, kWords)) {
                    target = *text == "true";
                }
            }};
}

LeafSpec<std::string> filePath(std::string example) {
    return {"path (relative to the YAML file)", [example](const std::string&) { return example; },
            [](Reader& reader, const Field& field, std::string& target) {
                if (auto text = reader.readString(field)) {
                    target = reader.resolvePath(*text);
                }
            }};
}

}  // namespace micro_order::host
