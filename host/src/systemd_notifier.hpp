#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace micro_order::host {

/// The sd_notify protocol (Type=notify units): READY=1 once traffic flows, STOPPING=1 on
/// shutdown, and WATCHDOG=1 pings at half the interval systemd asks for (WatchdogSec=), each
/// only while the health check given to feedWatchdogWhile() holds, so a process whose event
/// loops are stuck is restarted rather than reported alive.
/// Does nothing when NOTIFY_SOCKET is not set, so the host runs the same outside systemd.
class SystemdNotifier {
public:
    SystemdNotifier();
    ~SystemdNotifier();

    void ready(const std::string& status);
    /// From now on a watchdog ping is sent only when `healthy()` returns true (it is called
    /// from the watchdog's thread, once per ping).
    void feedWatchdogWhile(std::function<bool()> healthy);
    /// Also drops the health check: what it looks at is about to go.
    void stopping();
    void status(const std::string& status);
    void reloading();

private:
    void startWatchdog();
    bool healthy();

    std::mutex mutex_;
    std::function<bool()> healthy_;
    bool unhealthyLogged_ = false;
    std::jthread watchdog_;
};

/// True when stderr is connected to the journal (systemd sets JOURNAL_STREAM), where log lines
/// carry sd-daemon level prefixes such as `<3>` instead of timestamps.
bool stderrIsJournal();

}  // namespace micro_order::host
