#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <utility>  // before Asio, see io_loops.hpp

namespace micro_order::host {

/// A connection's one timer, moved lazily: setting a deadline later than the wait in progress
/// only records it (the wait, when it ends, waits again for the rest), so a keep-alive
/// connection answering requests back to back touches the timer about once per keep-alive
/// period instead of several times per request. Only an earlier deadline re-arms it.
/// Used from one thread (the connection's loop).
class LazyDeadline {
public:
    using Clock = std::chrono::steady_clock;

    /// `expired` runs on the loop when a deadline passes (once per set()).
    LazyDeadline(const boost::asio::any_io_executor& executor, std::function<void()> expired);

    /// Ends at `at`, replacing any deadline set before. `owner` (the connection) is kept alive
    /// while the timer waits.
    void set(Clock::time_point at, const std::shared_ptr<void>& owner);
    /// No deadline until the next set(); a wait in progress ends harmlessly.
    void clear() { at_ = Clock::time_point::max(); }
    /// For good: ends the wait in progress now, and set() does nothing after.
    void cancel();

private:
    void wait(Clock::time_point until, std::shared_ptr<void> owner);
    void onTimer(const boost::system::error_code& error, std::shared_ptr<void> owner);

    boost::asio::steady_timer timer_;
    std::function<void()> expired_;
    Clock::time_point at_ = Clock::time_point::max();            ///< the deadline
    Clock::time_point waitingUntil_ = Clock::time_point::max();  ///< the wait in progress, if waiting_
    bool waiting_ = false;
    bool cancelled_ = false;
};

}  // namespace micro_order::host
