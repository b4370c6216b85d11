#pragma once

// Field validation with Django REST framework's rules and messages, and the 400 body DRF
// renders for them: {"field": ["message", ...], ...}.

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace micro_order::rest {

/// DRF's messages, word for word: clients of the original services match on them.
namespace messages {
inline constexpr std::string_view kRequired = "This field is required.";
inline constexpr std::string_view kNull = "This field may not be null.";
inline constexpr std::string_view kBlank = "This field may not be blank.";
inline constexpr std::string_view kNotAString = "Not a valid string.";
inline constexpr std::string_view kNullCharacters = "Null characters are not allowed.";
inline constexpr std::string_view kInvalidEmail = "Enter a valid email address.";
inline constexpr std::string_view kInvalidInteger = "A valid integer is required.";
std::string maxLength(std::size_t limit);           ///< "Ensure this field has no more than N characters."
std::string minValue(std::int64_t limit);           ///< "Ensure this value is greater than or equal to N."
std::string maxValue(std::int64_t limit);           ///< "Ensure this value is less than or equal to N."
std::string invalidChoice(std::string_view value);  ///< "Select a valid choice. X is not one of …"
}  // namespace messages

/// Errors collected per field (or query parameter), in the order the fields were checked.
class ValidationErrors {
public:
    void add(const std::string& field, std::string_view message);
    bool empty() const { return order_.empty(); }
    /// Messages of one field; empty when it had none.
    const std::vector<std::string>& of(const std::string& field) const;
    /// {"field": ["message", ...], ...}, fields in the order they were first reported.
    std::string toJson() const;
    /// Throws HttpError(400) with toJson() as the body when any error was added.
    void throwIfAny() const;

private:
    std::vector<std::string> order_;
    std::map<std::string, std::vector<std::string>> messages_;
};

struct CharFieldRules {
    std::size_t maxLength = 0;  ///< in characters (code points), 0 for no limit
    bool allowBlank = false;
    bool email = false;  ///< DRF's EmailField: the trimmed value must pass isValidEmail()
};

/// Reads a required string field like DRF's CharField: must be present and not null, must be a
/// JSON string (the contract rejects numbers, where DRF would stringify them), is trimmed of
/// surrounding whitespace, must then not be blank, must not contain NUL, must respect the
/// maximum length and, for an email field, be a valid address. Reports into `errors` and
/// returns nullopt when the value is unusable.
std::optional<std::string> readCharField(const Poco::JSON::Object& body, const std::string& name,
                                         const CharFieldRules& rules, ValidationErrors& errors);

/// Reads a required integer field like DRF's IntegerField: a JSON integer, an integral JSON
/// number (1.0), or a string holding one ("1", " 1 ", "1.0"); never a boolean; from `minValue`
/// to `maxValue`.
std::optional<std::int64_t> readIntegerField(const Poco::JSON::Object& body, const std::string& name,
                                             std::int64_t minValue, ValidationErrors& errors,
                                             std::int64_t maxValue = std::numeric_limits<std::int64_t>::max());

/// Django's EmailValidator (user part: dot-atom or quoted string; domain: host name with a
/// 2–63 character top label, `localhost`, or an IP literal in brackets).
bool isValidEmail(std::string_view email);

/// Number of Unicode code points in a UTF-8 string (what Python's len() counts).
std::size_t utf8Length(std::string_view text);

/// Strips the whitespace Python's str.strip() would remove in ASCII.
std::string_view trimWhitespace(std::string_view text);

/// A base-10 integer with an optional leading '-', nothing else (no '+', no spaces);
/// nullopt when it is not one or does not fit in 64 bits.
std::optional<std::int64_t> parseStrictInteger(std::string_view text);

}  // namespace micro_order::rest
