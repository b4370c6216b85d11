#pragma once

#include <Poco/JSON/Object.h>

namespace micro_order::orders {

/// The OpenAPI 3.0 document of the routes addOrderRoutes registers (served at GET /openapi.json).
Poco::JSON::Object::Ptr orderOpenApi();

}  // namespace micro_order::orders
