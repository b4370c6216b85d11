#pragma once

#include <exception>
#include <stdexcept>
#include <string>

namespace micro_order::host {

/// No connection of a database's pool came free in time, or the database was too busy to start
/// a transaction: worth trying again shortly.
class DatabaseBusyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The connection was lost while COMMIT was on its way: the transaction may or may not have
/// committed. Never run again blindly (that could apply it twice): an HTTP request answers 503,
/// a message is redelivered (the inbox then tells whether it had been handled).
class CommitOutcomeUnknown : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// True for failures of the database that may pass by themselves (busy or locked, an I/O hiccup,
/// a full disk, a serialization failure or a deadlock, a lost connection, a COMMIT of unknown
/// outcome): a request answers 503, a message goes back to its queue. False for everything that
/// would fail again the same way.
bool isTransientDatabaseError(const std::exception& error);

/// True when the host may run a failed transaction again by itself: transient, and certainly
/// not committed (so never after CommitOutcomeUnknown).
bool mayRunTransactionAgain(const std::exception& error);

/// Both of the above for an exception_ptr (false for anything not a std::exception).
bool isTransientDatabaseError(const std::exception_ptr& error);
bool mayRunTransactionAgain(const std::exception_ptr& error);

}  // namespace micro_order::host
