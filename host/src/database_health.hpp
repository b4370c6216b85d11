#pragma once

#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
#include <string>

namespace micro_order::host {

/// Why a database cannot take writes, in words an operator acts on ("disk full"), or nullopt
/// for a failure that is not the database's (a plugin's own exception, a busy file).
std::optional<std::string> unusableDatabaseReason(const std::exception& error);

/// Whether one database can take writes: set by a write transaction that failed for a reason
/// the database itself has (full disk, I/O error, file gone), cleared by the next commit. A
/// readiness probe asks for a write to try again at most once per `probeInterval`.
class DatabaseHealth {
public:
    explicit DatabaseHealth(std::chrono::steady_clock::duration probeInterval = std::chrono::seconds(1))
        : probeInterval_(probeInterval) {}

    void failed(const std::exception_ptr& error);
    void committed();

    /// The reason writes fail now, or nullopt.
    std::optional<std::string> problem() const;
    /// True when failing and no probe ran within the interval (and marks one as running).
    bool probeDue();

private:
    std::chrono::steady_clock::duration probeInterval_;
    mutable std::mutex mutex_;
    std::optional<std::string> problem_;
    std::chrono::steady_clock::time_point lastProbe_{};
};

}  // namespace micro_order::host
