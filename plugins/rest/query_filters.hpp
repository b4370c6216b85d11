#pragma once

// Filters of the list endpoints (?status=, ?customer=, ?order=). As with django-filter, an
// absent or empty parameter does not filter; a bad value is reported under its name.

#include <cstdint>
#include <micro_order/http.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rest/validation.hpp"

namespace micro_order::rest {

/// ?name= as a positive id: {"customer": ["A valid integer is required."]} or
/// {"customer": ["Ensure this value is greater than or equal to 1."]} otherwise.
std::optional<std::int64_t> readIdFilter(const Request& request, const std::string& name, ValidationErrors& errors);

/// ?name= as one of `choices` (exact, case-sensitive):
/// {"status": ["Select a valid choice. X is not one of the available choices."]} otherwise.
std::optional<std::string> readChoiceFilter(const Request& request, const std::string& name,
                                            std::span<const std::string_view> choices, ValidationErrors& errors);

}  // namespace micro_order::rest
