// The four workflow message bodies: a body that does not fit must be PoisonMessage (dead-lettered
// at once), never another exception (retried as if transient) or a crash. The first byte picks
// the parser, the rest is the body.
#include <micro_order/messaging.hpp>

#include "workflow_events.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
    namespace consumers = micro_order::consumers;
    try {
        switch (data[0] % 4) {
            case 0:
                consumers::parseOrderCreated(body);
                break;
            case 1:
                consumers::render(consumers::parseCustomerRequested(body));
                break;
            case 2:
                consumers::render(consumers::parseCustomerDetailed(body));
                break;
            default:
                consumers::render(consumers::parseShippingUpdated(body));
                break;
        }
    } catch (const micro_order::PoisonMessage&) {
    }
    return 0;
}
