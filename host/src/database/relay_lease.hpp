#pragma once

#include <string>

namespace micro_order::host {

/// Which host's outbox relay publishes a database shared by several hosts: exactly one at a
/// time holds the lease; the others stand by and take it over when the holder goes away.
class RelayLease {
public:
    virtual ~RelayLease() = default;
    /// True when this process holds the lease now: checks that it still does (the fence before
    /// each batch), takes it when free, and reconnects after a lost session. Never throws.
    virtual bool hold() = 0;
    /// Why the last hold() could not ask (the database unreachable), for the log; empty when it
    /// asked, i.e. a false hold() means another host holds the lease.
    virtual std::string unreachable() const { return {}; }
};

}  // namespace micro_order::host
