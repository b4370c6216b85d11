#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace micro_order::host {

/// Lets a repeated failure be logged once, then at most once per interval with how often it
/// happened meanwhile, instead of once per message or request: a full disk under load is one
/// problem, not a thousand lines.
///
///     std::uint64_t repeats = 0;
///     if (throttle.admit("database orders: disk full", repeats)) {
///         logger.error("... %s", LogThrottle::repeatsNote(repeats));
///     }
///
/// Thread-safe. Keys are what makes two failures "the same" (the error, not the message id).
class LogThrottle {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    explicit LogThrottle(
        std::chrono::steady_clock::duration interval = std::chrono::seconds(10),
        Clock clock = [] { return std::chrono::steady_clock::now(); });

    /// True when this occurrence of `key` is to be logged: the first one, or the first after
    /// `interval` since the key was last logged. `repeats` gets how many occurrences were kept
    /// quiet since then.
    bool admit(const std::string& key, std::uint64_t& repeats);

    /// Calls report(key, repeats) for every key with occurrences kept quiet and zeroes their
    /// counts: for the moment the failure is over (the database writes again). Each key's
    /// interval goes on, so a failure that comes and goes still takes one line per interval.
    void settle(const std::function<void(const std::string& key, std::uint64_t repeats)>& report);

    /// " (and 41 more times in the last 10 s)", or "" for 0.
    std::string repeatsNote(std::uint64_t repeats) const;

private:
    struct Entry {
        std::chrono::steady_clock::time_point loggedAt;
        std::uint64_t quiet = 0;
    };
    std::chrono::steady_clock::duration interval_;
    Clock clock_;
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

}  // namespace micro_order::host
