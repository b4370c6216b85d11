// test_no_export: a valid shared library that is not a micro-order plugin (exports none of the
// MICRO_ORDER_PLUGIN symbols).
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT int not_a_micro_order_plugin() { return 42; }
