// test_load_marker: a plugin that leaves a trace the moment it is loaded, before any of its
// functions is called: a static constructor writes the file named by
// MICRO_ORDER_TEST_LOAD_MARKER. Tests use it to prove a library was (or was never) loaded.
#include <cstdlib>
#include <fstream>
#include <micro_order/plugin.hpp>

namespace {

struct LoadMarker {
    LoadMarker() {
        if (const char* path = std::getenv("MICRO_ORDER_TEST_LOAD_MARKER")) {
            std::ofstream(path) << "loaded\n";
        }
    }
};

const LoadMarker marker;

class LoadMarkerPlugin final : public micro_order::Plugin {
public:
    void start(micro_order::Context&) override {}
};

}  // namespace

MICRO_ORDER_PLUGIN("test_load_marker", LoadMarkerPlugin)
