#include "customers/customer_handlers.hpp"

#include "customers/customer_json.hpp"
#include "customers/customer_validation.hpp"
#include "rest/json_body.hpp"
#include "rest/pagination.hpp"
#include "rest/path_id.hpp"

namespace micro_order::customers {

Response CustomerHandlers::create(const Request& request) const {
    const auto customer = repository_.create(validateNewCustomer(*rest::parseJsonObject(request)));
    return Response::json(201, customerJson(customer));
}

Response CustomerHandlers::list(const Request& request) const {
    rest::ValidationErrors errors;
    const auto page = rest::readPageRequest(request, errors);
    errors.throwIfAny();
    return rest::pageResponse(request, page, {}, repository_.list(page.fetchLimit(), page.offset), writeCustomer);
}

Response CustomerHandlers::get(const Request& request) const {
    const auto customer = repository_.find(rest::pathId(request));
    if (!customer) {
        rest::throwNotFound();
    }
    return Response::json(200, customerJson(*customer));
}

void addCustomerRoutes(Router& router, const CustomerHandlers& handlers) {
    router.add("POST", "/customers/", [&handlers](const Request& request) { return handlers.create(request); },
               {.maxBodyBytes = rest::kMaxJsonBodyBytes});
    router.add("GET", "/customers/", [&handlers](const Request& request) { return handlers.list(request); });
    router.add("GET", "/customers/{id}/", [&handlers](const Request& request) { return handlers.get(request); });
}

}  // namespace micro_order::customers
