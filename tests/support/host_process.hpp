#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace micro_order::testing {

/// What a finished child process left behind.
struct RunResult {
    int exitCode = -1;  ///< exit status, or 128 + signal number when a signal ended it
    std::string out;
    std::string err;
};

/// The real micro-order-host binary as a child process, run on a YAML text.
///
/// The YAML goes to `micro-order.yaml` in the process's folder (a TempDir unless one is given),
/// so relative database paths in it land there too; stdout and stderr go to `host.log` there.
/// The destructor kills the process if it still runs.
class HostProcess {
public:
    /// Writes the YAML and starts `micro-order-host --config FILE`.
    explicit HostProcess(const std::string& yaml, std::vector<std::string> extraArgs = {});
    /// Same, in an existing folder the caller owns (to restart a host on the same files).
    HostProcess(const std::string& yaml, const std::string& folder, std::vector<std::string> extraArgs = {});
    /// Socket activation, as systemd does it: `listenFds` (listening sockets the caller keeps)
    /// become the host's descriptors 3, 4, ... with LISTEN_FDS and LISTEN_PID (the host's pid).
    HostProcess(const std::string& yaml, const std::string& folder, const std::vector<int>& listenFds);
    ~HostProcess();
    HostProcess(const HostProcess&) = delete;
    HostProcess& operator=(const HostProcess&) = delete;

    pid_t pid() const { return pid_; }
    const std::string& folder() const { return folder_; }
    const std::string& configFile() const { return configFile_; }
    const std::string& logFile() const { return logFile_; }

    /// Everything the host wrote to stdout and stderr so far.
    std::string log() const;

    /// True until the process has exited (reaps it when it has).
    bool running();
    /// Waits for the host's "ready:" log line (logged at `information`: keep log_level at
    /// information or lower). Throws, with the log, when the process exits first or `timeout`
    /// passes. Consumers connect after "ready:": wait for "consuming <queue>" before publishing
    /// to a queue the host declares.
    void waitUntilReady(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// Waits until 127.0.0.1:`port` accepts a connection. Throws like waitUntilReady.
    void waitForPort(unsigned short port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// Waits for a line containing `text` in the log; false on timeout or exit without it.
    bool waitForLog(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// SIGTERM: the host's graceful stop.
    void terminate();
    /// SIGKILL.
    void kill();
    /// Waits for the exit: the exit status, or 128 + signal. Throws on timeout (with the log).
    int wait(std::chrono::milliseconds timeout = std::chrono::seconds(15));

    /// Runs micro-order-host with `args` (e.g. `--check-config`, `--config`, FILE) to completion.
    /// Kills it and throws when it takes longer than `timeout`.
    static RunResult runToCompletion(const std::vector<std::string>& args,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(15));

private:
    void start(const std::string& yaml, const std::vector<std::string>& extraArgs,
               const std::vector<int>& listenFds = {});
    [[noreturn]] void fail(const std::string& what) const;

    std::unique_ptr<TempDir> ownFolder_;
    std::string folder_;
    std::string configFile_;
    std::string logFile_;
    pid_t pid_ = -1;
    std::optional<int> exitStatus_;
};

/// Starts `executable` with `args` (argv[0] is added), stdout and stderr to the given files
/// (the same file for both when equal). MICRO_ORDER_AMQP_URL is removed from the child's
/// environment so that a developer's shell cannot redirect a test's broker. The child gets
/// SIGKILL when the thread that started it ends (PR_SET_PDEATHSIG), so a crashed test leaves no
/// process behind: start processes from the test's main thread or another long-lived one.
pid_t spawnProcess(const std::string& executable, const std::vector<std::string>& args, const std::string& outFile,
                   const std::string& errFile, const std::vector<int>& listenFds = {});
/// waitpid with a timeout: the decoded status (128 + signal), or nullopt when still running.
std::optional<int> waitForExit(pid_t pid, std::chrono::milliseconds timeout);

}  // namespace micro_order::testing
