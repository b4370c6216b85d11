#pragma once

#include <cstdint>
#include <micro_order/http.hpp>
#include <string>

namespace micro_order::rest {

/// The path parameter `name` as a row id: decimal digits (leading zeros allowed, as Django's
/// <int:pk> converter does) naming a positive 64-bit integer. Anything else is
/// HttpError 404 {"detail": "Not found."}.
std::int64_t pathId(const Request& request, const std::string& name = "id");

/// HttpError 404 {"detail": "Not found."}.
[[noreturn]] void throwNotFound();

}  // namespace micro_order::rest
