// Connection, continued: answering a request, closing, and what a deadline that passed means.
#include <Poco/String.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "http/connection.hpp"
#include "http/connection_io.hpp"
#include "http/request_dispatch.hpp"
#include "http/response_writer.hpp"
#include "log_escape.hpp"

namespace micro_order::host {

namespace net = boost::asio;
using boost::system::error_code;
using connection_io::kReadSize;
using connection_io::scratch;
using connection_io::wouldBlock;

namespace {

/// An answer buffer larger than this is freed after sending: idle connections stay small.
constexpr std::size_t kKeptOutputBytes = 4096;
/// Closing with unread bytes resets the connection, and the client may lose the answer it was
/// sent (a 413 while it still uploads): read and drop this much, for this long, first.
constexpr std::size_t kLingerBytes = 8 << 20;
constexpr auto kLingerTime = std::chrono::seconds(2);

}  // namespace

// --- Answering --------------------------------------------------------------------------------

void Connection::runHandler() {
    // On a worker thread (or the loop, for a non-blocking host route): touches only the request
    // and the answer, which the loop leaves alone until the write is posted back.
    finish(callHandler(*handler_, request_, listener_->logger));
    if (nonBlocking_) {
        write();
    } else {
        net::post(socket_.get_executor(), [self = shared_from_this()] { self->write(); });
    }
}

void Connection::answer(Response response) {
    finish(std::move(response));
    write();
}

void Connection::reject(Rejection reason, int status, std::string_view detail) {
    listener_->metrics.rejected(reason);
    keepAlive_ = false;
    lingerAfterWrite_ = true;
    answer(detailResponse(status, detail));
}

void Connection::finish(Response response) {
    const ResponseFraming framing{keepAlive_ && !listener_->draining.load(std::memory_order_relaxed), headOnly_};
    if (std::string problem = writeResponse(response, framing, out_); !problem.empty()) {
        // Nothing of it leaves: a header with CR/LF would let a request write our response.
        listener_->logger.error("%s %s: answer refused, 500 sent instead: %s", escapeForLog(method_),
                                escapeForLog(request_.path), escapeForLog(problem, kLogReasonMaxBytes));
        response = detailResponse(500, "Internal server error.");
        writeResponse(response, framing, out_);
    }
    closeAfterWrite_ = !framing.keepAlive;
    if (routed_) {
        const std::chrono::duration<double> took = Clock::now() - began_;
        listener_->metrics.request(route_, method_, response.status, took.count());
    }
}

void Connection::write() {
    if (phase_ == Phase::Closed) {
        return;
    }
    phase_ = Phase::Writing;
    error_code error;
    written_ = socket_.write_some(net::buffer(out_), error);
    if (!error && written_ == out_.size()) {
        onWritten({});
        return;
    }
    if (error && !wouldBlock(error)) {
        close();
        return;
    }
    if (error) {
        written_ = 0;
    }
    setDeadline(Deadline::Send, Clock::now() + std::chrono::milliseconds(settings_.sendTimeoutMs));
    net::async_write(socket_, net::buffer(out_.data() + written_, out_.size() - written_),
                     [self = shared_from_this()](const error_code& error, std::size_t) { self->onWritten(error); });
}

void Connection::onWritten(const error_code& error) {
    if (phase_ == Phase::Closed) {
        return;
    }
    if (error) {
        if (timedOut_) {
            onTimeout();
        } else {
            close();
        }
        return;
    }
    if (out_.capacity() > kKeptOutputBytes) {
        std::string().swap(out_);
    }
    request_ = Request();
    if (closeAfterWrite_) {
        // Unread bytes (a refused body, requests pipelined behind this one) would make close()
        // reset the connection, and the client could lose the answer it was just sent.
        error_code ignored;
        if (lingerAfterWrite_ || buffer_.size() > 0 || socket_.available(ignored) > 0) {
            lingeringClose();
        } else {
            close();
        }
        return;
    }
    nextRequest();
}

// --- Closing ----------------------------------------------------------------------------------

void Connection::lingeringClose() {
    phase_ = Phase::Lingering;
    error_code ignored;
    socket_.shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    parser_.reset();
    buffer_.clear();
    buffer_.shrink_to_fit();
    lingered_ = 0;
    setDeadline(Deadline::Linger, Clock::now() + kLingerTime);
    waitReadable();
}

void Connection::discardReadable() {
    for (;;) {
        error_code error;
        const std::size_t size = socket_.read_some(net::buffer(scratch(), kReadSize), error);
        if (wouldBlock(error)) {
            waitReadable();
            return;
        }
        lingered_ += size;
        if (error || lingered_ > kLingerBytes) {
            close();
            return;
        }
    }
}

void Connection::close() {
    if (phase_ == Phase::Closed) {
        return;
    }
    phase_ = Phase::Closed;
    error_code ignored;
    socket_.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    timer_.cancel();
    // The request and answer may be a worker's right now: they go with the connection.
    parser_.reset();
    buffer_.clear();
    buffer_.shrink_to_fit();
}

// --- Deadlines --------------------------------------------------------------------------------

void Connection::onDeadline() {
    if (phase_ == Phase::Closed || deadline_ == Deadline::None) {
        return;
    }
    // The wait or write in progress ends with operation_aborted and sees timedOut_.
    timedOut_ = true;
    error_code ignored;
    socket_.cancel(ignored);
}

void Connection::onTimeout() {
    timedOut_ = false;
    const Deadline kind = deadline_;
    clearDeadline();
    switch (kind) {
        case Deadline::Idle:
            // Nothing of a request arrived: close without a word (RFC 9112 §9.5).
            listener_->metrics.timedOut(requests_ == 0 ? TimeoutKind::Header : TimeoutKind::KeepAlive);
            close();
            return;
        case Deadline::Header:
        case Deadline::Body:
            listener_->metrics.timedOut(kind == Deadline::Header ? TimeoutKind::Header : TimeoutKind::Body);
            keepAlive_ = false;
            lingerAfterWrite_ = true;
            answer(detailResponse(408, kind == Deadline::Header ? "The request head took too long to arrive."
                                                                : "The request body took too long to arrive."));
            return;
        case Deadline::Send:
            listener_->metrics.timedOut(TimeoutKind::Send);
            close();
            return;
        case Deadline::Linger:
        case Deadline::None:
            close();
            return;
    }
}

}  // namespace micro_order::host
