#include "database/postgresql/pg_relay_lease.hpp"

namespace micro_order::host {
namespace {

/// The advisory lock key of the outbox relay (any fixed number other than the migrations').
constexpr std::int64_t kRelayLock = 1836020332;

}  // namespace

bool PgRelayLease::hold() {
    try {
        if (!session_ || !session_->usable()) {
            session_.reset();
            held_ = false;
            session_ = std::make_unique<PgConnection>(settings_);
        }
        Statement& check = held_ ? session_->statement(
                                       "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                                       " AND pid = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) = ?")
                                 : session_->statement("SELECT pg_try_advisory_lock(?)");
        check.bind(1, kRelayLock);
        held_ = check.step() && check.int64(0) == 1;
        session_->resetStatements();
        unreachable_.clear();
    } catch (const std::exception& error) {
        session_.reset();
        held_ = false;
        unreachable_ = error.what();
    }
    return held_;
}

}  // namespace micro_order::host
