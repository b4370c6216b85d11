#include "customers/customer_repository.hpp"

#include "rest/last_insert_id.hpp"

namespace micro_order::customers {

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

namespace {

struct CustomerRows {
    std::vector<Poco::Int64> ids;
    std::vector<std::string> emails;
    std::vector<std::string> addresses;

    std::vector<Customer> toCustomers() const {
        std::vector<Customer> customers;
        customers.reserve(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            customers.push_back(Customer{ids[i], emails[i], addresses[i]});
        }
        return customers;
    }
};

}  // namespace

std::optional<Customer> findCustomer(Poco::Data::Session& session, std::int64_t id) {
    CustomerRows rows;
    session << "SELECT id, email, address FROM customers_customer WHERE id = ?", into(rows.ids), into(rows.emails),
        into(rows.addresses), bind(static_cast<Poco::Int64>(id)), now;
    auto customers = rows.toCustomers();
    if (customers.empty()) {
        return std::nullopt;
    }
    return std::move(customers.front());
}

Customer insertCustomer(Poco::Data::Session& session, const NewCustomer& customer) {
    session << "INSERT INTO customers_customer (email, address) VALUES (?, ?)", bind(customer.email),
        bind(customer.address), now;
    return Customer{rest::lastInsertId(session), customer.email, customer.address};
}

std::vector<Customer> listCustomers(Poco::Data::Session& session, std::int64_t limit, std::int64_t offset) {
    CustomerRows rows;
    session << "SELECT id, email, address FROM customers_customer ORDER BY id LIMIT ? OFFSET ?", into(rows.ids),
        into(rows.emails), into(rows.addresses), bind(static_cast<Poco::Int64>(limit)),
        bind(static_cast<Poco::Int64>(offset)), now;
    return rows.toCustomers();
}

Customer CustomerRepository::create(const NewCustomer& customer) {
    Customer created;
    database_.transact([&](Transaction& tx) { created = insertCustomer(tx.session(), customer); });
    return created;
}

std::optional<Customer> CustomerRepository::find(std::int64_t id) {
    std::optional<Customer> customer;
    database_.read([&](Poco::Data::Session& session) { customer = findCustomer(session, id); });
    return customer;
}

std::vector<Customer> CustomerRepository::list(std::int64_t limit, std::int64_t offset) {
    std::vector<Customer> customers;
    database_.read([&](Poco::Data::Session& session) { customers = listCustomers(session, limit, offset); });
    return customers;
}

}  // namespace micro_order::customers
