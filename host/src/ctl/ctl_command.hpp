#pragma once

// micro-order-ctl's command line, read into a plain value (tested without a broker), and the
// commands run against the broker of a config.

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

#include "ctl/dead_letter.hpp"

namespace micro_order::host::ctl {

/// sysexits.h codes micro-order-ctl exits with.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 64;        ///< EX_USAGE: the command line is wrong
inline constexpr int kExitUnavailable = 69;  ///< EX_UNAVAILABLE: the broker cannot be reached
inline constexpr int kExitSoftware = 70;     ///< EX_SOFTWARE: a replay left letters behind
inline constexpr int kExitConfig = 78;       ///< EX_CONFIG: the YAML file is wrong

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CtlCommand {
    enum class Action { kHelp, kVersion, kList, kReplay, kPurge } action = Action::kHelp;
    std::string configFile = "/etc/micro-order/micro-order.yaml";
    DeadLetterFilter filter;
};

/// Reads `args` (without the program name). Throws UsageError naming what is wrong. replay and
/// purge need a selection (`--all` or a criterion), so that a slip never empties the queue.
CtlCommand parseCtlCommand(const std::vector<std::string>& args);

/// The usage text for --help and usage errors.
std::string ctlUsage();

/// Runs `command`, writing results to `out` and problems to `err`; returns the exit code.
int runCtlCommand(const CtlCommand& command, std::ostream& out, std::ostream& err);

}  // namespace micro_order::host::ctl
