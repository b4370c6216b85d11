// What the REST services read from a request's path and query, as the listener hands them over
// (decoded): the {id} of /orders/{id}/, the list filters and the pagination, and the next-page
// link built from them. Input: the id on the first line, then one `name=value` per line.
// Only HttpError may come out.
#include <array>
#include <micro_order/http.hpp>
#include <sstream>
#include <string_view>

#include "rest/pagination.hpp"
#include "rest/path_id.hpp"
#include "rest/query_filters.hpp"
#include "rest/validation.hpp"

namespace {

constexpr std::array<std::string_view, 4> kStatuses{"PROCESSING", "SHIPPED", "CANCELLED", "FAIL"};

micro_order::Request requestOf(const std::string& text) {
    micro_order::Request request;
    request.method = "GET";
    request.path = "/orders/";
    request.baseUrl = "http://127.0.0.1:8000";
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line);
    request.pathParams["id"] = line;
    while (std::getline(lines, line)) {
        const auto equals = line.find('=');
        request.query.emplace_back(line.substr(0, equals),
                                   equals == std::string::npos ? std::string() : line.substr(equals + 1));
    }
    return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const micro_order::Request request = requestOf(std::string(reinterpret_cast<const char*>(data), size));
    try {
        micro_order::rest::pathId(request);
    } catch (const micro_order::HttpError&) {
    }
    try {
        micro_order::rest::ValidationErrors errors;
        micro_order::rest::readIdFilter(request, "customer", errors);
        micro_order::rest::readChoiceFilter(request, "status", kStatuses, errors);
        const auto page = micro_order::rest::readPageRequest(request, errors);
        errors.throwIfAny();
        micro_order::rest::nextPageUrl(request, page, micro_order::rest::keptParams(request, {"customer", "status"}));
    } catch (const micro_order::HttpError&) {
    }
    return 0;
}
