#pragma once

// Poco 1.11's JSON parser reads an integer literal beyond 64 bits by wrapping it around
// (18446744073709551617 becomes 1), so a body could name another row than the one written.
// This check runs on the text before it is parsed.

#include <optional>
#include <string>
#include <string_view>

namespace micro_order::rest {

/// The first integer literal (outside strings, without fraction or exponent) in the JSON text
/// `json` that does not fit a signed 64-bit integer, cut to 40 characters; nullopt when every
/// one fits. Does not validate the JSON otherwise.
std::optional<std::string> firstIntegerBeyondInt64(std::string_view json);

}  // namespace micro_order::rest
