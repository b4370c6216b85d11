#include "http/connection.hpp"

#include <Poco/String.h>

#include <array>
#include <limits>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>

#include "http/request_dispatch.hpp"
#include "http/response_writer.hpp"

namespace micro_order::host {

namespace net = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

/// Read size per readiness: a whole typical request, a fair share of a large body.
constexpr std::size_t kReadSize = 16 * 1024;
/// An answer buffer larger than this is freed after sending: idle connections stay small.
constexpr std::size_t kKeptOutputBytes = 4096;
/// Closing with unread bytes resets the connection, and the client may lose the answer it was
/// sent (a 413 while it still uploads): read and drop this much, for this long, first.
constexpr std::size_t kLingerBytes = 8 << 20;
constexpr auto kLingerTime = std::chrono::seconds(2);

char* scratch() {
    thread_local std::array<char, kReadSize> buffer;
    return buffer.data();
}

bool wouldBlock(const error_code& error) { return error == net::error::would_block || error == net::error::try_again; }

}  // namespace

Connection::Connection(net::ip::tcp::socket socket, std::shared_ptr<ListenerState> listener)
    : listener_(std::move(listener)),
      settings_(listener_->settings),
      socket_(std::move(socket)),
      timer_(socket_.get_executor()) {
    listener_->metrics.connectionOpened();
}

Connection::~Connection() {
    listener_->remove(this);
    listener_->metrics.connectionClosed();
}

void Connection::start() {
    listener_->add(shared_from_this());
    error_code ignored;
    socket_.non_blocking(true, ignored);
    socket_.set_option(net::ip::tcp::no_delay(true), ignored);
    nextRequest();
}

void Connection::drain() {
    if (phase_ == Phase::Idle) {
        close();
    }
    // Otherwise the answer in hand says `Connection: close` (draining is set) and ends it.
}

void Connection::forceClose() { close(); }

// --- Reading requests -------------------------------------------------------------------------

void Connection::nextRequest() {
    if (parsing_) {
        resume_ = true;  // parse() is on the stack: its caller comes back here
        return;
    }
    for (;;) {
        if (phase_ == Phase::Closed) {
            return;
        }
        if (listener_->draining.load(std::memory_order_relaxed)) {
            close();
            return;
        }
        phase_ = Phase::Idle;
        routed_ = false;
        headOnly_ = false;
        lingerAfterWrite_ = false;
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(settings_.maxHeaderBytes));
        // The route's limit applies once the head names it. Not boost::none: Beast 1.74 compares
        // Content-Length with the optional, and any length exceeds an empty one.
        parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
        if (buffer_.size() == 0) {
            buffer_.shrink_to_fit();
            // A fresh connection gets header_timeout_ms to start; an idle one keep_alive_timeout_s.
            setDeadline(Deadline::Idle,
                        Clock::now() + (requests_ == 0 ? std::chrono::milliseconds(settings_.headerTimeoutMs)
                                                       : std::chrono::seconds(settings_.keepAliveTimeoutSeconds)));
            waitReadable();
            return;
        }
        // Pipelined: the next request is (partly) here already.
        phase_ = Phase::Head;
        began_ = Clock::now();
        parsing_ = true;
        resume_ = false;
        const auto data = buffer_.data();
        const std::size_t used = parse(static_cast<const char*>(data.data()), data.size());
        parsing_ = false;
        buffer_.consume(used);
        if (resume_) {
            continue;  // answered at once: the one after may be buffered too
        }
        if (phase_ == Phase::Head || phase_ == Phase::Body) {
            waitReadable();
        }
        return;
    }
}

void Connection::waitReadable() {
    socket_.async_wait(net::ip::tcp::socket::wait_read,
                       [self = shared_from_this()](const error_code& error) { self->onReadable(error); });
}

void Connection::onReadable(const error_code& waitError) {
    if (phase_ == Phase::Closed) {
        return;
    }
    if (waitError) {
        if (timedOut_) {
            onTimeout();
        } else {
            close();
        }
        return;
    }
    if (phase_ == Phase::Lingering) {
        discardReadable();
        return;
    }
    error_code error;
    std::size_t used = 0;
    std::size_t size = 0;
    const bool fromScratch = buffer_.size() == 0;
    const char* data = nullptr;
    if (fromScratch) {
        size = socket_.read_some(net::buffer(scratch(), kReadSize), error);
        data = scratch();
    } else {
        size = socket_.read_some(buffer_.prepare(kReadSize), error);
        buffer_.commit(size);
        data = static_cast<const char*>(buffer_.data().data());
        size = buffer_.size();
    }
    if (wouldBlock(error)) {
        waitReadable();
        return;
    }
    if (error) {
        close();  // the client left (EOF, reset), whatever it had sent
        return;
    }
    if (phase_ == Phase::Idle) {
        phase_ = Phase::Head;
        began_ = Clock::now();
    }
    parsing_ = true;
    resume_ = false;
    used = parse(data, size);
    parsing_ = false;
    if (fromScratch) {
        if (used < size && phase_ != Phase::Closed && phase_ != Phase::Lingering) {
            buffer_.commit(net::buffer_copy(buffer_.prepare(size - used), net::buffer(data + used, size - used)));
        }
    } else {
        buffer_.consume(used);
    }
    if (resume_) {
        nextRequest();
    } else if (phase_ == Phase::Head || phase_ == Phase::Body) {
        waitReadable();
    }
}

std::size_t Connection::parse(const char* data, std::size_t size) {
    std::size_t used = 0;
    while (phase_ == Phase::Head || phase_ == Phase::Body) {
        error_code error;
        if (phase_ == Phase::Head) {
            used += parser_->put(net::buffer(data + used, size - used), error);
            if (error == http::error::need_more) {
                // Set only now: most heads arrive whole, and then no timer is touched.
                if (deadline_ != Deadline::Header) {
                    setDeadline(Deadline::Header, began_ + std::chrono::milliseconds(settings_.headerTimeoutMs));
                }
                return used;
            }
            if (error) {
                rejectHead(error, data + used, size - used);
                return used;
            }
            if (!onHead()) {
                return used;
            }
            continue;
        }
        if (!parser_->is_done() && used < size) {
            used += parser_->put(net::buffer(data + used, size - used), error);
            if (error == http::error::body_limit) {
                reject(Rejection::BodyTooLarge, 413,
                       "Request body is larger than " + std::to_string(bodyLimit_) + " bytes.");
                return used;
            }
            if (error && error != http::error::need_more) {
                reject(Rejection::BadRequest, 400, "Malformed request body.");
                return used;
            }
        }
        if (parser_->is_done()) {
            onRequest();
        } else if (deadline_ != Deadline::Body) {
            setDeadline(Deadline::Body, Clock::now() + std::chrono::milliseconds(settings_.bodyTimeoutMs));
        }
        return used;
    }
    return used;
}

void Connection::rejectHead(const error_code& error, const char* data, std::size_t size) {
    if (error == http::error::header_limit) {
        // A head too large because of its request line is a URI too long (414), not 431.
        const std::string_view head(data, size);
        const auto lineEnd = head.find('\n');
        if (lineEnd == std::string_view::npos || lineEnd > settings_.maxUriBytes) {
            reject(Rejection::UriTooLong, 414, "Request-URI too long.");
        } else {
            reject(Rejection::HeaderTooLarge, 431, "Request header fields too large.");
        }
        return;
    }
    reject(Rejection::BadRequest, 400, "Malformed request.");
}

bool Connection::onHead() {
    const auto& message = parser_->get();
    ++requests_;
    method_.assign(message.method_string().data(), message.method_string().size());
    route_ = {};
    if (message.target().size() > settings_.maxUriBytes) {
        reject(Rejection::UriTooLong, 414, "Request-URI too long.");
        return false;
    }
    if (static_cast<std::size_t>(std::distance(message.begin(), message.end())) >
        static_cast<std::size_t>(settings_.maxHeaderCount)) {
        reject(Rejection::HeaderTooLarge, 431, "Too many header fields.");
        return false;
    }
    if (message.version() >= 11 && message.find(http::field::host) == message.end()) {
        reject(Rejection::BadRequest, 400, "An HTTP/1.1 request needs a Host header.");
        return false;
    }
    keepAlive_ =
        message.keep_alive() && settings_.keepAliveTimeoutSeconds > 0 &&
        (settings_.maxKeepAliveRequests == 0 || requests_ < static_cast<unsigned>(settings_.maxKeepAliveRequests));
    headOnly_ = message.method() == http::verb::head;
    const bool hasBody = parser_->chunked() || parser_->content_length().value_or(0) > 0;
    auto target = decodeRequestTarget({message.target().data(), message.target().size()});
    if (!target) {
        reject(Rejection::BadRequest, 400, "Malformed request target: bad percent-encoding.");
        return false;
    }
    auto match = listener_->router.match(method_, target->path);
    route_ = match.routeTemplate;
    routed_ = true;
    if (match.kind != HttpRouter::Match::Kind::Found) {
        // Answered before the body: a body that follows would be read as the next request.
        if (hasBody) {
            keepAlive_ = false;
            lingerAfterWrite_ = true;
        }
        if (match.kind == HttpRouter::Match::Kind::NotFound) {
            answer(detailResponse(404, "Not found."));
        } else {
            Response response = detailResponse(405, "Method \"" + method_ + "\" not allowed.");
            response.headers.emplace_back("Allow",
                                          Poco::cat(std::string(", "), match.allowed.begin(), match.allowed.end()));
            answer(std::move(response));
        }
        return false;
    }
    const std::size_t limit = match.maxBodyBytes != 0 ? match.maxBodyBytes : settings_.maxBodyBytes;
    if (parser_->content_length().value_or(0) > limit) {
        reject(Rejection::BodyTooLarge, 413, "Request body is larger than " + std::to_string(limit) + " bytes.");
        return false;
    }
    handler_ = match.handler;
    target_ = std::move(*target);
    pathParams_ = std::move(match.params);
    if (hasBody) {
        if (const auto expect = message.find(http::field::expect);
            expect != message.end() && Poco::icompare(std::string(expect->value()), "100-continue") == 0 &&
            message.version() >= 11) {
            sendContinue();
            if (phase_ == Phase::Closed) {
                return false;
            }
        }
    }
    bodyLimit_ = limit;
    parser_->body_limit(limit);
    parser_->eager(true);
    nonBlocking_ = match.nonBlocking;
    phase_ = Phase::Body;
    return true;
}

void Connection::sendContinue() {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    error_code error;
    const std::size_t sent = socket_.write_some(net::buffer(kContinue.data(), kContinue.size()), error);
    if (wouldBlock(error)) {
        return;  // the client sends the body after its own short wait anyway (RFC 9110 §10.1.1)
    }
    if (error || sent != kContinue.size()) {
        close();  // half an interim answer would corrupt the stream
    }
}

void Connection::onRequest() {
    clearDeadline();
    phase_ = Phase::Handling;
    auto message = parser_->release();
    request_ = makeRequest(message, std::move(target_), std::move(pathParams_), listener_->publicUrl);
    if (nonBlocking_) {
        runHandler();
        return;
    }
    if (!listener_->workers.tryPost([self = shared_from_this()] { self->runHandler(); })) {
        listener_->metrics.rejected(Rejection::Overload);
        Response busy = detailResponse(503, "The server is busy; try again shortly.");
        busy.headers.emplace_back("Retry-After", "1");
        answer(std::move(busy));
    }
}

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
        listener_->logger.error("%s %s: answer refused, 500 sent instead: %s", method_, request_.path, problem);
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
        if (lingerAfterWrite_) {
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

void Connection::setDeadline(Deadline kind, Clock::time_point at) {
    deadline_ = kind;
    deadlineAt_ = at;
    // The timer is lazy: a later deadline than the wait in progress only moves a number, and
    // the wait, when it ends, waits again for the rest. Only an earlier one re-arms it.
    if (timerWaiting_ && timerAt_ <= at) {
        return;
    }
    timerWaiting_ = true;
    timerAt_ = at;
    timer_.expires_at(at);
    timer_.async_wait([self = shared_from_this()](const error_code& error) { self->onTimer(error); });
}

void Connection::onTimer(const error_code& error) {
    if (error == net::error::operation_aborted || phase_ == Phase::Closed) {
        return;  // re-armed earlier, or closed
    }
    timerWaiting_ = false;
    if (deadline_ == Deadline::None) {
        return;
    }
    if (Clock::now() < deadlineAt_) {
        setDeadline(deadline_, deadlineAt_);
        return;
    }
    // The read or write in progress ends with operation_aborted and sees timedOut_.
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
