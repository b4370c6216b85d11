#include "shippings/shipping_schema.hpp"

namespace micro_order::shippings {

const std::vector<Migration>& shippingMigrations() {
    static const std::vector<Migration> kMigrations{
        {1,
         "create shippings_shipping",
         {"CREATE TABLE shippings_shipping ("
          "id INTEGER PRIMARY KEY AUTOINCREMENT, "
          // UNIQUE: one shipping per order, which also makes creating it idempotent.
          "order_id INTEGER NOT NULL UNIQUE, "
          "status INTEGER NOT NULL, "
          "shipped_at TEXT NOT NULL)",
          // The ?status= filter, followed by ORDER BY id (?order= uses the UNIQUE index).
          "CREATE INDEX shippings_shipping_status_id ON shippings_shipping (status, id)"}},
    };
    return kMigrations;
}

}  // namespace micro_order::shippings
