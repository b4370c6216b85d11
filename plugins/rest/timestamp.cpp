#include "rest/timestamp.hpp"

#include <Poco/DateTimeFormatter.h>

namespace micro_order::rest {

std::string formatRfc3339(const Poco::Timestamp& time) {
    // %F: the fractional second in microseconds, always six digits.
    return Poco::DateTimeFormatter::format(time, "%Y-%m-%dT%H:%M:%S.%FZ");
}

std::string nowRfc3339() { return formatRfc3339(Poco::Timestamp()); }

}  // namespace micro_order::rest
