#pragma once

#include <Poco/JSON/Object.h>

namespace micro_order::customers {

/// The OpenAPI 3.0 document of the routes addCustomerRoutes registers (served at GET /openapi.json).
Poco::JSON::Object::Ptr customerOpenApi();

}  // namespace micro_order::customers
