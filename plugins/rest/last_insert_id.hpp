#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>

namespace micro_order::rest {

/// The id the last INSERT on this session generated. The one SQLite-specific query of the
/// services (`SELECT last_insert_rowid()`); a PostgreSQL port replaces it here (or moves the
/// inserts to RETURNING id). Call it on the session that inserted, inside its transaction.
std::int64_t lastInsertId(Poco::Data::Session& session);

}  // namespace micro_order::rest
