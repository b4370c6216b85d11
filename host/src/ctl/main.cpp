// micro-order-ctl: operator commands for a running micro-order deployment (today: its
// dead-letter queue), reading the broker from the same YAML file as micro-order-host.
#include <iostream>

#include "ctl/ctl_command.hpp"

int main(int argc, char** argv) {
    using namespace micro_order::host::ctl;
    const std::vector<std::string> args(argv + 1, argv + argc);
    CtlCommand command;
    try {
        command = parseCtlCommand(args);
    } catch (const UsageError& error) {
        std::cerr << "micro-order-ctl: " << error.what() << "\n\n" << ctlUsage();
        return kExitUsage;
    }
    return runCtlCommand(command, std::cout, std::cerr);
}
