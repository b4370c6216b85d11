#include "systemd_notifier.hpp"

#include <Poco/Logger.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>

namespace micro_order::host {

SystemdNotifier::SystemdNotifier() { startWatchdog(); }

SystemdNotifier::~SystemdNotifier() {
    if (watchdog_.joinable()) {
        watchdog_.request_stop();
        watchdog_.join();
    }
}

void SystemdNotifier::ready(const std::string& status) { sd_notify(0, ("READY=1\nSTATUS=" + status).c_str()); }

void SystemdNotifier::feedWatchdogWhile(std::function<bool()> healthy) {
    std::lock_guard lock(mutex_);
    healthy_ = std::move(healthy);
}

void SystemdNotifier::stopping() {
    {
        std::lock_guard lock(mutex_);
        healthy_ = nullptr;
    }
    sd_notify(0, "STOPPING=1\nSTATUS=stopping");
}

bool SystemdNotifier::healthy() {
    std::lock_guard lock(mutex_);
    const bool ok = !healthy_ || healthy_();
    if (!ok && !unhealthyLogged_) {
        Poco::Logger::get("host").error("an HTTP event loop has stopped turning: the systemd watchdog is not fed");
    }
    unhealthyLogged_ = !ok;
    return ok;
}

void SystemdNotifier::status(const std::string& status) { sd_notify(0, ("STATUS=" + status).c_str()); }

void SystemdNotifier::reloading() { sd_notify(0, "RELOADING=1"); }

void SystemdNotifier::startWatchdog() {
    uint64_t intervalMicros = 0;
    if (sd_watchdog_enabled(0, &intervalMicros) <= 0 || intervalMicros == 0) {
        return;
    }
    const auto period = std::chrono::microseconds(intervalMicros / 2);
    watchdog_ = std::jthread([this, period](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        std::unique_lock lock(mutex);
        while (!stop.stop_requested()) {
            if (healthy()) {
                sd_notify(0, "WATCHDOG=1");
            }
            wake.wait_for(lock, stop, period, [] { return false; });
        }
    });
}

bool stderrIsJournal() {
    // JOURNAL_STREAM is "device:inode" of the stream systemd connected; it is inherited by
    // children that may have redirected stderr, so compare it with what stderr really is.
    const char* stream = std::getenv("JOURNAL_STREAM");
    if (!stream) {
        return false;
    }
    struct stat info {};
    if (fstat(2, &info) != 0) {
        return false;
    }
    unsigned long long device = 0;
    unsigned long long inode = 0;
    if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) {
        return false;
    }
    return device == static_cast<unsigned long long>(info.st_dev) &&
           inode == static_cast<unsigned long long>(info.st_ino);
}

}  // namespace micro_order::host
