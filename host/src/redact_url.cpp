#include "redact_url.hpp"

namespace micro_order::host {

std::string redactUrl(std::string_view url) {
    const auto at = url.rfind('@');
    if (at == std::string_view::npos) {
        return std::string(url);
    }
    const auto scheme = url.find("://");
    const std::size_t start = scheme != std::string_view::npos && scheme < at ? scheme + 3 : 0;
    std::string redacted(url.substr(0, start));
    redacted += "***";
    redacted += url.substr(at);
    return redacted;
}

}  // namespace micro_order::host
