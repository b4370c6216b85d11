#include "orders/order_schema.hpp"

namespace micro_order::orders {

const std::vector<Migration>& orderMigrations() {
    static const std::vector<Migration> kMigrations{
        {1,
         "create orders_order",
         {"CREATE TABLE orders_order ("
          "id INTEGER PRIMARY KEY AUTOINCREMENT, "
          "status INTEGER NOT NULL, "
          "customer INTEGER NOT NULL, "
          "made_at TEXT NOT NULL)",
          // The list filters, each followed by ORDER BY id.
          "CREATE INDEX orders_order_status_id ON orders_order (status, id)",
          "CREATE INDEX orders_order_customer_id ON orders_order (customer, id)"}},
    };
    return kMigrations;
}

}  // namespace micro_order::orders
