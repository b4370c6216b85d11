#include "rest/pagination.hpp"

#include <Poco/URI.h>

#include <limits>
#include <map>

namespace micro_order::rest {

namespace {

std::optional<std::int64_t> readBoundedParam(const Request& request, const std::string& name, std::int64_t minValue,
                                             std::int64_t maxValue, ValidationErrors& errors) {
    const auto* text = request.queryValue(name);
    if (text == nullptr) {
        return std::nullopt;
    }
    const auto value = parseStrictInteger(*text);
    if (!value) {
        errors.add(name, messages::kInvalidInteger);
    } else if (*value < minValue) {
        errors.add(name, messages::minValue(minValue));
    } else if (*value > maxValue) {
        errors.add(name, messages::maxValue(maxValue));
    } else {
        return value;
    }
    return std::nullopt;
}

}  // namespace

PageRequest readPageRequest(const Request& request, ValidationErrors& errors) {
    PageRequest page;
    if (const auto limit = readBoundedParam(request, "limit", 1, kMaxLimit, errors)) {
        page.limit = *limit;
    }
    if (const auto offset = readBoundedParam(request, "offset", 0, std::numeric_limits<std::int64_t>::max(), errors)) {
        page.offset = *offset;
    }
    return page;
}

QueryParams keptParams(const Request& request, std::initializer_list<std::string> names) {
    QueryParams kept;
    for (const auto& name : names) {
        if (const auto* value = request.queryValue(name); value != nullptr && !value->empty()) {
            kept.emplace_back(name, *value);
        }
    }
    return kept;
}

std::string nextPageUrl(const Request& request, const PageRequest& page, const QueryParams& kept) {
    std::map<std::string, std::string> query(kept.begin(), kept.end());
    query["limit"] = std::to_string(page.limit);
    // offset + limit cannot overflow in practice (rows must exist past offset), but saturate.
    const auto maxOffset = std::numeric_limits<std::int64_t>::max() - page.limit;
    query["offset"] =
        std::to_string(page.offset > maxOffset ? std::numeric_limits<std::int64_t>::max() : page.offset + page.limit);
    // baseUrl is the listener's configured public_url or empty (a relative link, RFC 8288
    // allows it): never the client's Host header, so a client cannot point the link elsewhere.
    Poco::URI pathAndQuery;
    pathAndQuery.setPath(request.path);
    for (const auto& [name, value] : query) {
        pathAndQuery.addQueryParameter(name, value);
    }
    return request.baseUrl + pathAndQuery.toString();
}

}  // namespace micro_order::rest
