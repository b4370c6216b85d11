#include "support/host_process.hpp"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "support/test_environment.hpp"

extern char** environ;

namespace micro_order::testing {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr int kFirstListenFd = 3;  // SD_LISTEN_FDS_START: where systemd puts the first socket

int decodeStatus(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return -1;
}

bool accepts(unsigned short port) {
    try {
        Poco::Net::StreamSocket socket;
        socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(0, 200000));
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

}  // namespace

pid_t spawnProcess(const std::string& executable, const std::vector<std::string>& args, const std::string& outFile,
                   const std::string& errFile, const std::vector<int>& listenFds) {
    // Everything the child needs is prepared before fork: between fork and exec a child of a
    // multi-threaded process may only make async-signal-safe calls.
    std::vector<std::string> argv{executable};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> argvPointers;
    for (auto& arg : argv) {
        argvPointers.push_back(arg.data());
    }
    argvPointers.push_back(nullptr);
    std::vector<char*> environment;
    for (char** entry = environ; *entry; ++entry) {
        if (std::strncmp(*entry, "MICRO_ORDER_AMQP_URL=", 21) != 0 && std::strncmp(*entry, "LISTEN_", 7) != 0) {
            environment.push_back(*entry);
        }
    }
    // LISTEN_PID is the child's own pid, written into this buffer after the fork.
    std::string listenCount = "LISTEN_FDS=" + std::to_string(listenFds.size());
    char listenPid[32] = "LISTEN_PID=";
    if (!listenFds.empty()) {
        environment.push_back(listenCount.data());
        environment.push_back(listenPid);
    }
    environment.push_back(nullptr);
    const int count = static_cast<int>(listenFds.size());
    const bool sameFile = outFile == errFile;
    int failure[2];  // the child reports a failed exec through it; a successful exec closes it
    if (::pipe2(failure, O_CLOEXEC) != 0) {
        throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    }
    const pid_t parent = ::getpid();

    const pid_t pid = ::fork();
    if (pid < 0) {
        const int error = errno;
        ::close(failure[0]);
        ::close(failure[1]);
        throw std::runtime_error("cannot start " + executable + ": fork: " + std::strerror(error));
    }
    if (pid == 0) {
        // A test that crashes must not leave a host behind (it would hold its port and queues).
        // The signal comes when the thread that forked ends: start hosts from a long-lived thread.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) {
            ::_exit(127);
        }
        const auto redirect = [](const char* path, int flags, int target) {
            const int fd = ::open(path, flags | O_CLOEXEC, 0644);
            return fd >= 0 && ::dup2(fd, target) == target;
        };
        bool ok = redirect("/dev/null", O_RDONLY, STDIN_FILENO) &&
                  redirect(outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, STDOUT_FILENO) &&
                  (sameFile ? ::dup2(STDOUT_FILENO, STDERR_FILENO) == STDERR_FILENO
                            : redirect(errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, STDERR_FILENO));
        // The inherited sockets become 3, 4, ...: first out of the way (above anything they could
        // overwrite, the failure pipe included), then down, where dup2 clears close-on-exec.
        int failureFd = failure[1];
        if (count > 0) {
            failureFd = ::fcntl(failure[1], F_DUPFD_CLOEXEC, 100 + count);
            ok = ok && failureFd >= 0;
            int moved[64];  // all moved before any dup2, which could overwrite one not yet moved
            ok = ok && count <= 64;
            for (int i = 0; ok && i < count; ++i) {
                moved[i] = ::fcntl(listenFds[i], F_DUPFD_CLOEXEC, 100 + count + 1 + i);
                ok = moved[i] >= 0;
            }
            for (int i = 0; ok && i < count; ++i) {
                ok = ::dup2(moved[i], kFirstListenFd + i) == kFirstListenFd + i;
            }
            // async-signal-safe itoa of getpid() after "LISTEN_PID="
            char digits[16];
            int length = 0;
            for (pid_t self = ::getpid(); self > 0; self /= 10) {
                digits[length++] = static_cast<char>('0' + self % 10);
            }
            for (int i = 0; i < length; ++i) {
                listenPid[11 + i] = digits[length - 1 - i];
            }
            listenPid[11 + length] = '\0';
        }
        failure[1] = failureFd;
        // Sockets this test holds (HTTP, AMQP) must not stay open in the host, or closing them in
        // the test would not close the connection.
        ok = ok && ::close_range(kFirstListenFd + count, ~0U, CLOSE_RANGE_CLOEXEC) == 0;
        // The host starts with no signal blocked or ignored, whatever this test's threads did.
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int sig : {SIGTERM, SIGINT, SIGQUIT, SIGPIPE, SIGHUP}) {
            ::signal(sig, SIG_DFL);
        }
        if (ok) {
            ::execve(executable.c_str(), argvPointers.data(), environment.data());
        }
        const int error = errno;
        [[maybe_unused]] ssize_t written = ::write(failure[1], &error, sizeof error);
        ::_exit(127);
    }
    ::close(failure[1]);
    int error = 0;
    ssize_t got = 0;
    do {
        got = ::read(failure[0], &error, sizeof error);
    } while (got < 0 && errno == EINTR);
    ::close(failure[0]);
    if (got == sizeof error) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        throw std::runtime_error("cannot start " + executable + ": " + std::strerror(error));
    }
    return pid;
}

std::optional<int> waitForExit(pid_t pid, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            return decodeStatus(status);
        }
        if (done < 0 && errno != EINTR) {
            throw std::runtime_error("waitpid(" + std::to_string(pid) + "): " + std::strerror(errno));
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

HostProcess::HostProcess(const std::string& yaml, std::vector<std::string> extraArgs)
    : ownFolder_(std::make_unique<TempDir>("micro-order-host")) {
    folder_ = ownFolder_->path();
    start(yaml, extraArgs);
}

HostProcess::HostProcess(const std::string& yaml, const std::string& folder, std::vector<std::string> extraArgs)
    : folder_(folder) {
    start(yaml, extraArgs);
}

HostProcess::HostProcess(const std::string& yaml, const std::string& folder, const std::vector<int>& listenFds)
    : folder_(folder) {
    start(yaml, {}, listenFds);
}

void HostProcess::start(const std::string& yaml, const std::vector<std::string>& extraArgs,
                        const std::vector<int>& listenFds) {
    configFile_ = folder_ + "/micro-order.yaml";
    logFile_ = folder_ + "/host.log";
    writeFile(configFile_, yaml);
    std::vector<std::string> args{"--config", configFile_};
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    pid_ = spawnProcess(hostBinary(), args, logFile_, logFile_, listenFds);
}

HostProcess::~HostProcess() {
    if (pid_ > 0 && !exitStatus_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

std::string HostProcess::log() const { return readFile(logFile_); }

bool HostProcess::running() {
    if (exitStatus_) {
        return false;
    }
    exitStatus_ = waitForExit(pid_, std::chrono::milliseconds(0));
    return !exitStatus_;
}

void HostProcess::fail(const std::string& what) const {
    throw std::runtime_error(what + "\n--- host log (" + logFile_ + ") ---\n" + log() + "--- end of host log ---");
}

bool HostProcess::waitForLog(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (log().find(text) != std::string::npos) {
            return true;
        }
        if (!running()) {
            return log().find(text) != std::string::npos;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

void HostProcess::waitUntilReady(std::chrono::milliseconds timeout) {
    if (!waitForLog("ready:", timeout)) {
        if (!running()) {
            fail("the host exited with status " + std::to_string(*exitStatus_) + " before it was ready");
        }
        fail("the host was not ready within " + std::to_string(timeout.count()) + " ms");
    }
}

void HostProcess::waitForPort(unsigned short port, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!accepts(port)) {
        if (!running()) {
            fail("the host exited with status " + std::to_string(*exitStatus_) + " before port " +
                 std::to_string(port) + " accepted");
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            fail("port " + std::to_string(port) + " did not accept within " + std::to_string(timeout.count()) + " ms");
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

void HostProcess::terminate() {
    if (running()) {
        ::kill(pid_, SIGTERM);
    }
}

void HostProcess::kill() {
    if (running()) {
        ::kill(pid_, SIGKILL);
    }
}

int HostProcess::wait(std::chrono::milliseconds timeout) {
    if (!exitStatus_) {
        exitStatus_ = waitForExit(pid_, timeout);
    }
    if (!exitStatus_) {
        fail("the host did not exit within " + std::to_string(timeout.count()) + " ms");
    }
    return *exitStatus_;
}

RunResult HostProcess::runToCompletion(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
    TempDir folder("micro-order-run");
    const pid_t pid = spawnProcess(hostBinary(), args, folder.file("stdout"), folder.file("stderr"));
    std::optional<int> status = waitForExit(pid, timeout);
    if (!status) {
        ::kill(pid, SIGKILL);
        waitForExit(pid, std::chrono::seconds(5));
        throw std::runtime_error("micro-order-host did not finish within " + std::to_string(timeout.count()) +
                                 " ms; stderr:\n" + readFile(folder.file("stderr")));
    }
    return RunResult{*status, readFile(folder.file("stdout")), readFile(folder.file("stderr"))};
}

}  // namespace micro_order::testing
