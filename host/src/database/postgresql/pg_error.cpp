#include "database/postgresql/pg_error.hpp"

namespace micro_order::host {

bool isTransientPostgresqlError(const std::exception& error) {
    const auto* pg = dynamic_cast<const PostgresqlError*>(&error);
    if (!pg) {
        return false;
    }
    const std::string& state = pg->sqlState();
    return pg->connectionLost() || state == "40001" || state == "40P01" || state.rfind("08", 0) == 0 ||
           state == "57P01" || state == "57P02" || state == "57P03" || state == "53300";
}

}  // namespace micro_order::host
