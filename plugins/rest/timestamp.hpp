#pragma once

#include <Poco/Timestamp.h>

#include <string>

namespace micro_order::rest {

/// RFC 3339 in UTC with microseconds, as DRF renders a DateTimeField:
/// "2026-11-26T12:00:00.123456Z". Stored as is in TEXT columns, so it also sorts by time.
std::string formatRfc3339(const Poco::Timestamp& time);

/// formatRfc3339 of the current time.
std::string nowRfc3339();

}  // namespace micro_order::rest
