// A request target as a client sends it on the request line (`/orders/12/?status=%53HIPPED&…`),
// through what the HTTP front and the REST services do with it: percent-decoding and splitting
// (host/src/http/request_target), routing to /orders/ or /orders/{id}/, then the {id}, the
// list filters, the pagination and the next-page link. Only HttpError may come out, and the
// next-page link (sent back in a Link header) must hold no byte that could split the header or
// end the <…> early, whatever the decoded target held.
#include <cstdint>
#include <cstdlib>
#include <micro_order/http.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "http/request_target.hpp"
#include "http/router.hpp"
#include "rest/pagination.hpp"
#include "rest/path_id.hpp"
#include "rest/query_filters.hpp"
#include "rest/validation.hpp"

namespace {

using micro_order::Request;
using micro_order::Response;
namespace rest = micro_order::rest;

constexpr std::string_view kStatuses[] = {"PROCESSING", "SHIPPED", "CANCELLED", "FAIL"};

void requireHeaderSafe(const std::string& link) {
    for (const unsigned char c : link) {
        if (c <= 0x20 || c >= 0x7F || c == '>' || c == '<') {
            std::abort();  // a decoded byte reached the Link header unencoded
        }
    }
}

/// GET /orders/: the reading the orders list does, then a page that has a next one.
Response list(const Request& request) {
    rest::ValidationErrors errors;
    const auto page = rest::readPageRequest(request, errors);
    rest::readChoiceFilter(request, "status", kStatuses, errors);
    rest::readIdFilter(request, "customer", errors);
    errors.throwIfAny();
    const std::vector<int> rows(static_cast<std::size_t>(page.fetchLimit()));
    auto response = rest::pageResponse(request, page, rest::keptParams(request, {"status", "customer"}), rows,
                                       [](std::string& body, int row) { body += std::to_string(row); });
    if (response.headers.empty()) {
        std::abort();  // fetchLimit() rows always make a next page
    }
    requireHeaderSafe(rest::nextPageUrl(request, page, rest::keptParams(request, {"status", "customer"})));
    return response;
}

const micro_order::host::HttpRouter& router() {
    static const auto* const instance = [] {
        auto* routes = new micro_order::host::HttpRouter;
        routes->add("GET", "/orders/", list);
        routes->add("GET", "/orders/{id}/", [](const Request& request) {
            if (rest::pathId(request) <= 0) {
                std::abort();  // pathId promises a positive id
            }
            return Response::json(200, "{}");
        });
        return routes;
    }();
    return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto target = micro_order::host::decodeRequestTarget(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!target) {
        return 0;  // answered 400 by the listener
    }
    auto match = router().match("GET", target->path);
    if (match.kind != micro_order::host::HttpRouter::Match::Kind::Found) {
        return 0;
    }
    Request request;
    request.method = "GET";
    request.path = std::move(target->path);
    request.query = std::move(target->query);
    request.pathParams = std::move(match.params);
    request.baseUrl = "http://127.0.0.1:8000";
    try {
        (*match.handler)(request);
    } catch (const micro_order::HttpError&) {
    }
    return 0;
}
