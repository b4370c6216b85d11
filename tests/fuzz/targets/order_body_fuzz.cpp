// POST /orders/ bodies: parsed as the handler parses them, then validated. Only HttpError may
// come out.
#include <micro_order/http.hpp>

#include "orders/order_validation.hpp"
#include "rest/json_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    micro_order::Request request;
    request.method = "POST";
    request.path = "/orders/";
    request.contentType = "application/json";
    request.body.assign(reinterpret_cast<const char*>(data), size);
    try {
        micro_order::orders::validateNewOrder(*micro_order::rest::parseJsonObject(request));
    } catch (const micro_order::HttpError&) {
    }
    return 0;
}
