#pragma once

#include <exception>
#include <stdexcept>
#include <string>

namespace micro_order::host {

/// A failure reported by PostgreSQL or libpq: the SQLSTATE of the error ("40001"), empty when
/// the connection itself failed (then `connectionLost`).
class PostgresqlError : public std::runtime_error {
public:
    PostgresqlError(const std::string& message, std::string sqlState, bool connectionLost)
        : std::runtime_error(message), sqlState_(std::move(sqlState)), connectionLost_(connectionLost) {}

    const std::string& sqlState() const { return sqlState_; }
    bool connectionLost() const { return connectionLost_; }

private:
    std::string sqlState_;
    bool connectionLost_;
};

/// Serialization failure (40001), deadlock (40P01), a lost connection, and the server going
/// away or not taking connections yet (class 08, 57P01-57P03, 53300 too many connections).
bool isTransientPostgresqlError(const std::exception& error);

}  // namespace micro_order::host
