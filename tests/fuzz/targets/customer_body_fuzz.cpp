// POST /customers/ bodies: parsed as the handler parses them, then validated. Only HttpError
// (400, 415) may come out; anything else is a bug the fuzzer reports.
#include <micro_order/http.hpp>

#include "customers/customer_validation.hpp"
#include "rest/json_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    micro_order::Request request;
    request.method = "POST";
    request.path = "/customers/";
    request.contentType = "application/json";
    request.body.assign(reinterpret_cast<const char*>(data), size);
    try {
        micro_order::customers::validateNewCustomer(*micro_order::rest::parseJsonObject(request));
    } catch (const micro_order::HttpError&) {
    }
    return 0;
}
