#pragma once

#include <sqlite3.h>

#include <micro_order/database.hpp>
#include <string>
#include <string_view>

namespace micro_order::host {

/// One compiled statement of one connection, kept for the connection's lifetime and reused:
/// the SDK's Statement over a raw `sqlite3_stmt` (bind, step, read, reset).
class SqliteStatement final : public Statement {
public:
    /// Compiles `sql` on `handle`; throws the Poco::Data::SQLite exception for the error.
    SqliteStatement(sqlite3* handle, std::string_view sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    SqliteStatement& bind(int parameter, std::int64_t value) override;
    SqliteStatement& bind(int parameter, std::string_view text) override;
    bool step() override;
    std::int64_t int64(int column) const override { return sqlite3_column_int64(statement_, column); }
    std::string text(int column) const override;
    int changes() const override { return sqlite3_changes(handle_); }

    /// Ready for the next use: stepping stopped (its read snapshot released) and bindings cleared.
    void reset();

private:
    sqlite3* handle_;
    sqlite3_stmt* statement_ = nullptr;
};

}  // namespace micro_order::host
