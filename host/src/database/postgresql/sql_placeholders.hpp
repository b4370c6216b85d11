#pragma once

#include <string>
#include <string_view>

namespace micro_order::host {

/// `sql` with each `?` parameter numbered for PostgreSQL (`$1`, `$2`, ...), so plugins write one
/// text for both connectors. Question marks in quoted strings, quoted identifiers and comments
/// stay as they are; `count` receives the number of parameters.
std::string numberPlaceholders(std::string_view sql, int& count);

/// A migration statement in the portable subset (README "SQL for both connectors") as
/// PostgreSQL runs it: `INTEGER PRIMARY KEY AUTOINCREMENT` becomes an identity column, SQLite's
/// `WITHOUT ROWID` goes. Anything else is left as written.
std::string postgresqlMigrationStatement(std::string_view sql);

}  // namespace micro_order::host
