// test_wrong_abi: exports what MICRO_ORDER_PLUGIN exports, but claims plugin ABI version 999, as
// a library built against a future SDK would. The host must refuse it before creating anything.
#include <cstdlib>
#include <micro_order/plugin.hpp>

extern "C" BOOST_SYMBOL_EXPORT int micro_order_abi_version() { return 999; }

extern "C" BOOST_SYMBOL_EXPORT const char* micro_order_plugin_name() { return "test_wrong_abi"; }

extern "C" BOOST_SYMBOL_EXPORT micro_order::Plugin* micro_order_create_plugin() {
    std::abort();  // the host must never get this far
}
