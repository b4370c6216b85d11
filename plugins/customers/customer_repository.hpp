#pragma once

#include <cstdint>
#include <micro_order/database.hpp>
#include <optional>
#include <vector>

#include "customers/customer.hpp"

namespace micro_order::customers {

// Queries on a caller's connection, so they can take part in the caller's transaction (the
// consumers plugin calls findCustomer inside a message handler's transaction).

/// The customer with this id, or nullopt.
std::optional<Customer> findCustomer(Connection& connection, std::int64_t id);

/// Inserts a customer and returns it with its new id. Run it inside a transaction.
Customer insertCustomer(Connection& connection, const NewCustomer& customer);

/// Up to `limit` customers after skipping `offset`, ordered by id.
std::vector<Customer> listCustomers(Connection& connection, std::int64_t limit, std::int64_t offset);

/// The same queries over a Database: reads on a pooled connection, writes in a transaction.
class CustomerRepository {
public:
    explicit CustomerRepository(Database& database) : database_(database) {}

    Customer create(const NewCustomer& customer);
    std::optional<Customer> find(std::int64_t id);
    std::vector<Customer> list(std::int64_t limit, std::int64_t offset);

private:
    Database& database_;
};

}  // namespace micro_order::customers
