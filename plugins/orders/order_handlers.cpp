#include "orders/order_handlers.hpp"

#include "orders/order_json.hpp"
#include "orders/order_validation.hpp"
#include "rest/json_body.hpp"
#include "rest/pagination.hpp"
#include "rest/path_id.hpp"
#include "rest/query_filters.hpp"

namespace micro_order::orders {

namespace {

OrderFilter readOrderFilter(const Request& request, rest::ValidationErrors& errors) {
    OrderFilter filter;
    if (const auto status = rest::readChoiceFilter(request, "status", kOrderStatusNames, errors)) {
        filter.status = parseOrderStatus(*status);
    }
    filter.customer = rest::readIdFilter(request, "customer", errors);
    return filter;
}

}  // namespace

Response OrderHandlers::create(const Request& request) const {
    const auto order = repository_.create(validateNewOrder(*rest::parseJsonObject(request)));
    return Response::json(201, orderJson(order));
}

Response OrderHandlers::list(const Request& request) const {
    rest::ValidationErrors errors;
    const auto page = rest::readPageRequest(request, errors);
    const auto filter = readOrderFilter(request, errors);
    errors.throwIfAny();
    return rest::pageResponse(request, page, rest::keptParams(request, {"status", "customer"}),
                              repository_.list(filter, page.fetchLimit(), page.offset), writeOrder);
}

Response OrderHandlers::get(const Request& request) const {
    const auto order = repository_.find(rest::pathId(request));
    if (!order) {
        rest::throwNotFound();
    }
    return Response::json(200, orderJson(*order));
}

void addOrderRoutes(Router& router, const OrderHandlers& handlers) {
    router.add("POST", "/orders/", [&handlers](const Request& request) { return handlers.create(request); },
               {.maxBodyBytes = rest::kMaxJsonBodyBytes});
    router.add("GET", "/orders/", [&handlers](const Request& request) { return handlers.list(request); });
    router.add("GET", "/orders/{id}/", [&handlers](const Request& request) { return handlers.get(request); });
}

}  // namespace micro_order::orders
