#include "shippings/shipping_handlers.hpp"

#include "rest/pagination.hpp"
#include "rest/path_id.hpp"
#include "rest/query_filters.hpp"
#include "shippings/shipping_json.hpp"

namespace micro_order::shippings {

namespace {

ShippingFilter readShippingFilter(const Request& request, rest::ValidationErrors& errors) {
    ShippingFilter filter;
    if (const auto status = rest::readChoiceFilter(request, "status", kShippingStatusNames, errors)) {
        filter.status = parseShippingStatus(*status);
    }
    filter.order = rest::readIdFilter(request, "order", errors);
    return filter;
}

}  // namespace

Response ShippingHandlers::list(const Request& request) const {
    rest::ValidationErrors errors;
    const auto page = rest::readPageRequest(request, errors);
    const auto filter = readShippingFilter(request, errors);
    errors.throwIfAny();
    return rest::pageResponse(request, page, rest::keptParams(request, {"status", "order"}),
                              repository_.list(filter, page.fetchLimit(), page.offset), writeShipping);
}

Response ShippingHandlers::get(const Request& request) const {
    const auto shipping = repository_.find(rest::pathId(request));
    if (!shipping) {
        rest::throwNotFound();
    }
    return Response::json(200, shippingJson(*shipping));
}

void addShippingRoutes(Router& router, const ShippingHandlers& handlers) {
    router.add("GET", "/shippings/", [&handlers](const Request& request) { return handlers.list(request); });
    router.add("GET", "/shippings/{id}/", [&handlers](const Request& request) { return handlers.get(request); });
}

}  // namespace micro_order::shippings
