#pragma once

namespace micro_order::host {

/// Which host's outbox relay publishes a database shared by several hosts: exactly one at a
/// time holds the lease; the others stand by and take it over when the holder goes away.
class RelayLease {
public:
    virtual ~RelayLease() = default;
    /// True when this process holds the lease now: checks that it still does (the fence before
    /// each batch), takes it when free, and reconnects after a lost session. Never throws.
    virtual bool hold() = 0;
};

}  // namespace micro_order::host
