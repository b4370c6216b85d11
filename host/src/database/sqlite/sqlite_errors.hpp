#pragma once

#include <exception>

namespace micro_order::host {

/// SQLite's transient failures (Poco::Data::SQLite's exception types): busy or locked, an I/O
/// error, a full disk, a file that cannot be opened now.
bool isTransientSqliteError(const std::exception& error);

}  // namespace micro_order::host
