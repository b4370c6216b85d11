#include <malloc.h>

#include "host_application.hpp"

int main(int argc, char** argv) {
    // glibc gives each busy thread its own malloc arena (up to 8 per core): with hundreds of
    // HTTP threads that is most of the resident memory, for no speed we can measure.
    mallopt(M_ARENA_MAX, 2);
    micro_order::host::HostApplication application;
    return application.run(argc, argv);
}
