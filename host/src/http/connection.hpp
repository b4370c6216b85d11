#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <micro_order/http.hpp>
#include <optional>
#include <string>
#include <utility>  // before Asio/Beast, see io_loops.hpp

#include "http/lazy_deadline.hpp"
#include "http/listener_state.hpp"
#include "http/request_target.hpp"

namespace micro_order::host {

/// One client connection, from accept to close, on one event-loop thread: read a request head
/// (Beast's parser, with the listener's limits), then its body, hand it to a worker, write the
/// answer, wait for the next request. Requests on a connection are taken one at a time, so
/// pipelined ones are answered in order.
///
/// Every wait has a deadline: a fresh connection must start a request within header_timeout_ms
/// and an idle keep-alive one within keep_alive_timeout_s (else it is closed silently); once a
/// request has begun, its whole head must arrive within header_timeout_ms and its body within
/// body_timeout_ms (else 408); an answer must be taken within send_timeout_ms (else closed).
/// An idle connection holds no buffer: bytes are read into a per-thread scratch buffer and only
/// what a request leaves unparsed is kept.
class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(boost::asio::ip::tcp::socket socket, std::shared_ptr<ListenerState> listener);
    ~Connection();

    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// These run on the connection's loop (post them there).
    void start();
    /// The host is stopping: close now if idle, else after the answer in hand.
    void drain();
    /// Close now, whatever is in hand (the grace period is over).
    void forceClose();

    boost::asio::any_io_executor executor() { return socket_.get_executor(); }

private:
    using Clock = LazyDeadline::Clock;
    enum class Phase { Idle, Head, Body, Handling, Writing, Lingering, Closed };
    /// Which deadline runs; what a timeout means depends on it.
    enum class Deadline { None, Idle, Header, Body, Send, Linger };

    // Reading requests
    void nextRequest();
    void waitReadable();
    void onReadable(const boost::system::error_code& error);
    std::size_t parse(const char* data, std::size_t size);
    void rejectHead(const boost::system::error_code& error, const char* data, std::size_t size);
    bool onHead();
    /// allowed_hosts and bearer token: false when refused (answered 421 or 401).
    bool admitted(const boost::beast::http::request_parser<boost::beast::http::string_body>::value_type& message,
                  std::string_view path, bool hasBody);
    void sendContinue();
    void onRequest();

    // Answering
    void runHandler();
    void answer(Response response);
    void reject(Rejection reason, int status, std::string_view detail);
    void finish(Response response);
    void write();
    void onWritten(const boost::system::error_code& error);

    // Closing
    void lingeringClose();
    void discardReadable();
    void close();

    // Deadlines
    void setDeadline(Deadline kind, Clock::time_point at) {
        deadline_ = kind;
        timer_.set(at, shared_from_this());
    }
    void clearDeadline() {
        deadline_ = Deadline::None;
        timer_.clear();
    }
    void onDeadline();
    void onTimeout();

    std::shared_ptr<ListenerState> listener_;
    const HttpSettings& settings_;
    boost::asio::ip::tcp::socket socket_;
    LazyDeadline timer_;
    /// Bytes read but not parsed yet: a head that arrived in pieces, pipelined requests.
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;

    Phase phase_ = Phase::Idle;
    Deadline deadline_ = Deadline::None;
    bool timedOut_ = false;  ///< the deadline passed: the read or write in progress was cancelled

    unsigned requests_ = 0;  ///< requests begun on this connection
    Clock::time_point began_;
    std::size_t headBytes_ = 0;  ///< bytes of the current request head the parser took
    bool parsing_ = false;       ///< inside parse(): nextRequest() waits until it returns
    bool resume_ = false;        ///< nextRequest() was asked for while parsing

    // The request in hand: set on the loop before a worker gets it, read by the worker only.
    std::string method_;
    std::string_view route_;  ///< the matched template, for metrics
    bool routed_ = false;     ///< the request reached the router: counted by route in metrics
    bool keepAlive_ = true;
    bool nonBlocking_ = false;
    std::size_t bodyLimit_ = 0;
    bool headOnly_ = false;
    RequestTarget target_;
    std::map<std::string, std::string> pathParams_;
    const Handler* handler_ = nullptr;
    Request request_;

    // The answer in hand: written by whoever runs the handler, then sent from the loop.
    std::string out_;
    bool closeAfterWrite_ = false;
    bool lingerAfterWrite_ = false;  ///< unread request bytes may follow: drain before closing
    std::size_t written_ = 0;
    std::size_t lingered_ = 0;
};

}  // namespace micro_order::host
