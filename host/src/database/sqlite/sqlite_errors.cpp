#include "database/sqlite/sqlite_errors.hpp"

#include <Poco/Data/SQLite/SQLiteException.h>

namespace micro_order::host {

bool isTransientSqliteError(const std::exception& error) {
    return dynamic_cast<const Poco::Data::SQLite::DBLockedException*>(&error) ||
           dynamic_cast<const Poco::Data::SQLite::TableLockedException*>(&error) ||
           dynamic_cast<const Poco::Data::SQLite::IOErrorException*>(&error) ||
           dynamic_cast<const Poco::Data::SQLite::DatabaseFullException*>(&error) ||
           dynamic_cast<const Poco::Data::SQLite::CantOpenDBFileException*>(&error);
}

}  // namespace micro_order::host
