#include "customers/customer_repository.hpp"

#include <stdexcept>
#include <string_view>

namespace micro_order::customers {

namespace {

Customer customerAt(const Statement& row) { return Customer{row.int64(0), row.text(1), row.text(2)}; }

}  // namespace

std::optional<Customer> findCustomer(Connection& connection, std::int64_t id) {
    auto& select = connection.statement("SELECT id, email, address FROM customers_customer WHERE id = ?");
    select.bind(1, id);
    if (!select.step()) {
        return std::nullopt;
    }
    auto customer = customerAt(select);
    // Run to the end so the read ends here, not when the pooled connection is next used.
    select.step();
    return customer;
}

Customer insertCustomer(Connection& connection, const NewCustomer& customer) {
    auto& insert = connection.statement("INSERT INTO customers_customer (email, address) VALUES (?, ?) RETURNING id");
    insert.bind(1, std::string_view(customer.email)).bind(2, std::string_view(customer.address));
    if (!insert.step()) {
        throw std::logic_error("INSERT INTO customers_customer returned no id");
    }
    const std::int64_t id = insert.int64(0);
    // Run to the end: an unfinished INSERT would keep the transaction from committing.
    insert.step();
    return Customer{id, customer.email, customer.address};
}

std::vector<Customer> listCustomers(Connection& connection, std::int64_t limit, std::int64_t offset) {
    auto& select =
        connection.statement("SELECT id, email, address FROM customers_customer ORDER BY id LIMIT ? OFFSET ?");
    select.bind(1, limit).bind(2, offset);
    std::vector<Customer> customers;
    while (select.step()) {
        customers.push_back(customerAt(select));
    }
    return customers;
}

Customer CustomerRepository::create(const NewCustomer& customer) {
    return database_.transactValue([&](Transaction& tx) { return insertCustomer(tx, customer); });
}

std::optional<Customer> CustomerRepository::find(std::int64_t id) {
    return database_.readValue([&](Connection& connection) { return findCustomer(connection, id); });
}

std::vector<Customer> CustomerRepository::list(std::int64_t limit, std::int64_t offset) {
    return database_.readValue([&](Connection& connection) { return listCustomers(connection, limit, offset); });
}

}  // namespace micro_order::customers
