// Connection: its life from accept, and reading requests (see connection_answer.cpp for the rest).
#include "http/connection.hpp"

#include <Poco/String.h>

#include <boost/beast/http/error.hpp>
#include <limits>

#include "http/connection_io.hpp"
#include "http/request_dispatch.hpp"
#include "http/response_writer.hpp"

namespace micro_order::host {

namespace net = boost::asio;
using connection_io::kReadSize;
using connection_io::scratch;
using connection_io::wouldBlock;
namespace http = boost::beast::http;
using boost::system::error_code;

Connection::Connection(net::ip::tcp::socket socket, std::shared_ptr<ListenerState> listener)
    : listener_(std::move(listener)),
      settings_(listener_->settings),
      socket_(std::move(socket)),
      timer_(socket_.get_executor(), [this] { onDeadline(); }) {
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
    // A fresh connection may have its request on the way (the client sent it as soon as the
    // kernel accepted): it gets that one request, answered with `Connection: close`, within
    // header_timeout_ms or the grace period. Only an idle keep-alive connection owes nothing.
    if (phase_ == Phase::Idle && requests_ > 0) {
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
        if (requests_ > 0 && listener_->draining.load(std::memory_order_relaxed)) {
            close();
            return;
        }
        phase_ = Phase::Idle;
        clearDeadline();  // each request gets its own
        routed_ = false;
        headOnly_ = false;
        lingerAfterWrite_ = false;
        parser_.emplace();
        headBytes_ = 0;
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
            const std::size_t taken = parser_->put(net::buffer(data + used, size - used), error);
            used += taken;
            headBytes_ += taken;
            // Beast 1.74 applies header_limit to what it has not parsed yet: once it took the
            // request line and some fields, a head arriving in pieces can outgrow the limit
            // unnoticed. Count the whole head here.
            if ((!error || error == http::error::need_more) &&
                headBytes_ + (error ? size - used : 0) > settings_.maxHeaderBytes) {
                rejectHead(http::error::header_limit, data + used, size - used);
                return used;
            }
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
        // A head too large because of its request line is a URI too long (414), not 431. Beast
        // parses nothing of a head until it is whole or over the limit; over the limit it may
        // already have taken the request line (the target is set), and then what is left in
        // `data` starts inside the fields, which says nothing about the URI.
        const std::string_view head(data, size);
        const auto lineEnd = head.find('\n');
        const bool requestLineParsed = !parser_->get().target().empty();
        if (!requestLineParsed && (lineEnd == std::string_view::npos || lineEnd > settings_.maxUriBytes)) {
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
    if (!admitted(message, target->path, hasBody)) {
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

bool Connection::admitted(const http::request_parser<http::string_body>::value_type& message, std::string_view path,
                          bool hasBody) {
    const auto header = [&](http::field name) {
        const auto it = message.find(name);
        return it == message.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
    };
    const AccessControl& access = listener_->access;
    std::optional<Response> refusal;
    if (!access.hostAllowed(header(http::field::host))) {
        listener_->metrics.rejected(Rejection::MisdirectedHost);
        refusal = detailResponse(421, "This server does not answer for that host name.");
    } else if (access.needsToken(path) && !access.tokenAccepted(header(http::field::authorization))) {
        listener_->metrics.rejected(Rejection::Unauthorized);
        refusal = detailResponse(401, "Authentication credentials were not provided or are not valid.");
        refusal->headers.emplace_back("WWW-Authenticate", "Bearer realm=\"micro-order\"");
    }
    if (!refusal) {
        return true;
    }
    // Answered before the body, which is never read: the connection ends after the answer.
    if (hasBody) {
        keepAlive_ = false;
        lingerAfterWrite_ = true;
    }
    answer(std::move(*refusal));
    return false;
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

}  // namespace micro_order::host
