#include "customers/customer_schema.hpp"

namespace micro_order::customers {

const std::vector<Migration>& customerMigrations() {
    static const std::vector<Migration> kMigrations{
        {1,
         "create customers_customer",
         {"CREATE TABLE customers_customer ("
          "id INTEGER PRIMARY KEY AUTOINCREMENT, "
          "email TEXT NOT NULL, "
          "address TEXT NOT NULL)"}},
    };
    return kMigrations;
}

}  // namespace micro_order::customers
