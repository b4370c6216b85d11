#pragma once

#include <memory>
#include <string>

#include "database/postgresql/pg_connection.hpp"
#include "database/relay_lease.hpp"
#include "host_config.hpp"

namespace micro_order::host {

/// The relay lease as a session-level advisory lock on a connection of its own (not pooled, so
/// no transaction ever ends it). The server releases it the moment the holder's session ends: at
/// once when its process dies (the kernel closes the socket), within the TCP keepalive
/// (PgConnection: 5 s idle, then 3 probes 1 s apart) when its machine or the network goes.
/// Each hold() asks the server whether this session still has it: a lease lost to a network
/// split is noticed before the next batch, not published through.
class PgRelayLease final : public RelayLease {
public:
    explicit PgRelayLease(DatabaseSettings settings) : settings_(std::move(settings)) {}
    bool hold() override;
    std::string unreachable() const override { return unreachable_; }

private:
    DatabaseSettings settings_;
    std::unique_ptr<PgConnection> session_;
    bool held_ = false;
    std::string unreachable_;
};

}  // namespace micro_order::host
