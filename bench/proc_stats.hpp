#pragma once

// What /proc says about another process: CPU time and peak resident memory.

#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace micro_order::bench {

/// utime + stime of `pid` in seconds (fields 14 and 15 of /proc/PID/stat); -1 when unreadable.
inline double processCpuSeconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!pid || !std::getline(in, text)) {
        return -1;
    }
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) {
            utime = std::stoull(field);
        } else if (i == 15) {
            stime = std::stoull(field);
        }
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// utime + stime of `pid` and of its live children (a PostgreSQL server: the postmaster and its
/// backends, checkpointer, WAL writer...), plus what its exited children left in its cutime +
/// cstime once reaped; -1 when `pid` is unreadable.
inline double processTreeCpuSeconds(pid_t pid) {
    if (!pid) {
        return -1;
    }
    const double own = processCpuSeconds(pid);
    if (own < 0) {
        return -1;
    }
    double total = own;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        std::ifstream in(entry.path() / "stat");
        std::string text;
        if (!std::getline(in, text)) {
            continue;  // gone meanwhile
        }
        std::istringstream fields(text.substr(text.rfind(')') + 2));
        std::string state;
        long parent = 0;
        fields >> state >> parent;
        if (parent == pid) {
            total += std::max(0.0, processCpuSeconds(static_cast<pid_t>(std::stol(name))));
        }
    }
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(in, text);
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    unsigned long long reaped = 0;
    for (int i = 3; i <= 17 && fields >> field; ++i) {
        if (i == 16 || i == 17) {
            reaped += std::stoull(field);
        }
    }
    return total + static_cast<double>(reaped) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// A "VmHWM:"-style line of /proc/PID/status in kB; -1 when missing.
inline long processStatusKb(pid_t pid, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (pid && std::getline(in, line)) {
        if (line.rfind(key + ":", 0) == 0) {
            return std::stol(line.substr(key.size() + 1));
        }
    }
    return -1;
}

/// CPU seconds the whole machine spent busy (every CPU, /proc/stat: all but idle and iowait):
/// set against the bench's own processes, it shows how much other work shared the machine.
inline double machineBusySeconds() {
    std::ifstream in("/proc/stat");
    std::string cpu;
    unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    return static_cast<double>(user + nice + system + irq + softirq + steal) /
           static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace micro_order::bench
