#pragma once

#include <Poco/JSON/Object.h>

namespace micro_order::shippings {

/// The OpenAPI 3.0 document of the routes addShippingRoutes registers (served at GET /openapi.json).
Poco::JSON::Object::Ptr shippingOpenApi();

}  // namespace micro_order::shippings
