#include "support/test_vhost.hpp"

#include <signal.h>
#include <unistd.h>

#include <stdexcept>

#include "support/host_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"

namespace micro_order::testing {

int runShell(const std::string& command, std::string* output, int timeoutSeconds) {
    TempDir folder("micro-order-shell");
    const pid_t pid = spawnProcess("/bin/bash", {"-c", command}, folder.file("out"), folder.file("out"));
    const auto status = waitForExit(pid, std::chrono::seconds(timeoutSeconds));
    if (!status) {
        ::kill(pid, SIGKILL);
        waitForExit(pid, std::chrono::seconds(5));
        throw std::runtime_error("did not finish in " + std::to_string(timeoutSeconds) + " s: " + command);
    }
    if (output) {
        *output = readFile(folder.file("out"));
    }
    return *status;
}

TestVhost::TestVhost(const std::string& name) : name_(name + "-" + std::to_string(::getpid())) {
    std::string output;
    if (runShell(sourceDir() + "/scripts/test-vhost.sh create " + name_, &output) != 0) {
        throw std::runtime_error("cannot create vhost " + name_ + ": " + output);
    }
    url_ = amqpUrl().substr(0, amqpUrl().rfind('/') + 1) + name_;
}

TestVhost::~TestVhost() {
    try {
        runShell(sourceDir() + "/scripts/test-vhost.sh delete " + name_);
    } catch (const std::exception&) {
        // Best effort: a vhost left behind is named after the test and its process.
    }
}

}  // namespace micro_order::testing
