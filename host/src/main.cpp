#include "host_application.hpp"

int main(int argc, char** argv) {
    micro_order::host::HostApplication application;
    return application.run(argc, argv);
}
