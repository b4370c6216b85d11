#pragma once

#include <chrono>
#include <string>
#include <thread>

namespace micro_order::host {

/// The sd_notify protocol (Type=notify units): READY=1 once traffic flows, STOPPING=1 on
/// shutdown, and WATCHDOG=1 pings at half the interval systemd asks for (WatchdogSec=).
/// Does nothing when NOTIFY_SOCKET is not set, so the host runs the same outside systemd.
class SystemdNotifier {
public:
    SystemdNotifier();
    ~SystemdNotifier();

    void ready(const std::string& status);
    void stopping();
    void status(const std::string& status);
    void reloading();

private:
    void startWatchdog();

    std::jthread watchdog_;
};

/// True when stderr is connected to the journal (systemd sets JOURNAL_STREAM), where log lines
/// carry sd-daemon level prefixes such as `<3>` instead of timestamps.
bool stderrIsJournal();

}  // namespace micro_order::host
