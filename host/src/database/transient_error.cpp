#include "database/transient_error.hpp"

#include "database/postgresql/pg_error.hpp"
#include "database/sqlite/sqlite_errors.hpp"

namespace micro_order::host {

bool isTransientDatabaseError(const std::exception& error) {
    return dynamic_cast<const DatabaseBusyError*>(&error) || dynamic_cast<const CommitOutcomeUnknown*>(&error) ||
           isTransientSqliteError(error) || isTransientPostgresqlError(error);
}

bool mayRunTransactionAgain(const std::exception& error) {
    return !dynamic_cast<const CommitOutcomeUnknown*>(&error) && isTransientDatabaseError(error);
}

namespace {

template <class Test>
bool test(const std::exception_ptr& error, Test&& check) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& exception) {
        return check(exception);
    } catch (...) {
        return false;
    }
}

}  // namespace

bool isTransientDatabaseError(const std::exception_ptr& error) {
    return test(error, [](const std::exception& e) { return isTransientDatabaseError(e); });
}

bool mayRunTransactionAgain(const std::exception_ptr& error) {
    return test(error, [](const std::exception& e) { return mayRunTransactionAgain(e); });
}

}  // namespace micro_order::host
