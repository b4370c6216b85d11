#pragma once

// ?limit=&offset= pagination of the list endpoints: a plain JSON array, and an RFC 8288
// `Link: <…>; rel="next"` header when more rows follow.

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <micro_order/http.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rest/validation.hpp"

namespace micro_order::rest {

inline constexpr std::int64_t kDefaultLimit = 100;
inline constexpr std::int64_t kMaxLimit = 1000;

struct PageRequest {
    std::int64_t limit = kDefaultLimit;
    std::int64_t offset = 0;
    /// Rows to fetch: one more than the page, to know whether a next page exists.
    std::int64_t fetchLimit() const { return limit + 1; }
};

/// Query parameters carried into the next link, e.g. the filters of the list.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// Reads ?limit= (1…1000, default 100) and ?offset= (≥ 0, default 0). A bad value is reported
/// under the parameter's name, e.g. {"limit": ["Ensure this value is less than or equal to 1000."]}.
PageRequest readPageRequest(const Request& request, ValidationErrors& errors);

/// The non-empty values of the named query parameters, as sent (validate them first).
QueryParams keptParams(const Request& request, std::initializer_list<std::string> names);

/// The request's baseUrl (the listener's public_url, usually empty) + path of the request + the
/// query of the page after `page`, parameters sorted by name as DRF's replace_query_param does:
/// </orders/?limit=100&offset=100&status=SHIPPED>.
std::string nextPageUrl(const Request& request, const PageRequest& page, const QueryParams& kept);

/// Room for a typical row (customers, orders and shippings render 60–120 bytes), so a page
/// is written with few reallocations.
inline constexpr std::size_t kRowSizeHint = 128;

/// 200 with rows[0, limit) as a JSON array, each row appended by `render(body, row)`, and the
/// Link header when `rows` (fetched with fetchLimit()) holds more than a page.
template <class Row, class Render>
Response pageResponse(const Request& request, const PageRequest& page, const QueryParams& kept,
                      const std::vector<Row>& rows, Render render) {
    const auto count = std::min(rows.size(), static_cast<std::size_t>(page.limit));
    std::string body;
    body.reserve(2 + count * kRowSizeHint);
    body += '[';
    for (std::size_t i = 0; i < count; ++i) {
        if (i != 0) {
            body += ',';
        }
        render(body, rows[i]);
    }
    body += ']';
    auto response = Response::json(200, std::move(body));
    if (rows.size() > count) {
        response.headers.emplace_back("Link", "<" + nextPageUrl(request, page, kept) + ">; rel=\"next\"");
    }
    return response;
}

}  // namespace micro_order::rest
