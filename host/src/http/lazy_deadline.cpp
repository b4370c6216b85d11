#include "http/lazy_deadline.hpp"

#include <boost/asio/error.hpp>

namespace micro_order::host {

LazyDeadline::LazyDeadline(const boost::asio::any_io_executor& executor, std::function<void()> expired)
    : timer_(executor), expired_(std::move(expired)) {}

void LazyDeadline::set(Clock::time_point at, const std::shared_ptr<void>& owner) {
    if (cancelled_) {
        return;
    }
    at_ = at;
    if (!waiting_ || at < waitingUntil_) {
        wait(at, owner);
    }
}

void LazyDeadline::cancel() {
    cancelled_ = true;
    at_ = Clock::time_point::max();
    timer_.cancel();
}

void LazyDeadline::wait(Clock::time_point until, std::shared_ptr<void> owner) {
    waiting_ = true;
    waitingUntil_ = until;
    timer_.expires_at(until);  // ends a wait in progress with operation_aborted
    timer_.async_wait([this, owner = std::move(owner)](const boost::system::error_code& error) mutable {
        onTimer(error, std::move(owner));
    });
}

void LazyDeadline::onTimer(const boost::system::error_code& error, std::shared_ptr<void> owner) {
    if (error == boost::asio::error::operation_aborted || cancelled_) {
        return;  // replaced by an earlier deadline, or cancelled
    }
    waiting_ = false;
    if (at_ == Clock::time_point::max()) {
        return;  // cleared: nothing to wait for until the next set()
    }
    if (Clock::now() < at_) {
        wait(at_, std::move(owner));  // moved later while this wait ran
        return;
    }
    at_ = Clock::time_point::max();
    expired_();
}

}  // namespace micro_order::host
