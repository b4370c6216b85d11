#include "log_throttle.hpp"

#include <vector>

namespace micro_order::host {

namespace {

/// Keys kept at most: a flood of distinct errors must not grow the map without bound.
constexpr std::size_t kMaxKeys = 256;

}  // namespace

LogThrottle::LogThrottle(std::chrono::steady_clock::duration interval, Clock clock)
    : interval_(interval), clock_(std::move(clock)) {}

bool LogThrottle::admit(const std::string& key, std::uint64_t& repeats) {
    const auto now = clock_();
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) {
        if (entries_.size() >= kMaxKeys) {
            entries_.clear();  // forget; at worst a line is logged again
        }
        entries_.emplace(key, Entry{now, 0});
        repeats = 0;
        return true;
    }
    if (now - it->second.loggedAt < interval_) {
        ++it->second.quiet;
        return false;
    }
    repeats = it->second.quiet;
    it->second = Entry{now, 0};
    return true;
}

void LogThrottle::settle(const std::function<void(const std::string& key, std::uint64_t repeats)>& report) {
    std::vector<std::pair<std::string, std::uint64_t>> quiet;
    {
        std::lock_guard lock(mutex_);
        for (auto& [key, entry] : entries_) {
            if (entry.quiet > 0) {
                quiet.emplace_back(key, entry.quiet);
                entry.quiet = 0;
            }
        }
    }
    for (const auto& [key, repeats] : quiet) {
        report(key, repeats);
    }
}

std::string LogThrottle::repeatsNote(std::uint64_t repeats) const {
    if (repeats == 0) {
        return "";
    }
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(interval_).count();
    return " (and " + std::to_string(repeats) + " more time" + (repeats == 1 ? "" : "s") + " in the last " +
           std::to_string(seconds) + " s)";
}

}  // namespace micro_order::host
