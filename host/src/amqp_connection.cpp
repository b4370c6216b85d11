#include "amqp_connection.hpp"

#include <Poco/Format.h>
#include <amqp_tcp_socket.h>

#include <cstring>
#include <vector>

#include "amqp_tls.hpp"
#include "broker_url.hpp"
#include "log_escape.hpp"
#include "redact_url.hpp"

namespace micro_order::host {
namespace {

constexpr amqp_channel_t kChannel = 1;

// rabbitmq-c waits for an RPC's reply forever unless told otherwise, and a broker link that died
// without a FIN or RST (a machine gone, a network split) never answers: every wait is bounded.
/// TCP connect, per node.
constexpr struct timeval kConnectTimeout { 5, 0 };
/// AMQP handshake and login (rabbitmq-c's default is 12 s).
constexpr struct timeval kHandshakeTimeout { 5, 0 };
/// Every other RPC (declare, qos, consume, get, purge): a live broker answers in milliseconds,
/// and heartbeats, when on, notice a dead link sooner.
constexpr struct timeval kRpcTimeout { 30, 0 };
/// channel.close and connection.close when the connection goes away: a stop must not wait on a
/// dead link. Giving up is harmless: the broker treats the dropped socket as a close (what was
/// unacked goes back to its queue).
constexpr struct timeval kCloseTimeout { 1, 0 };
/// How often a confirm wait asks whether to give up.
constexpr auto kConfirmSlice = std::chrono::microseconds(100000);

amqp_bytes_t bytesOf(const std::string& text) { return amqp_bytes_t{text.size(), const_cast<char*>(text.data())}; }

std::string stringOf(const amqp_bytes_t& bytes) {
    return bytes.len ? std::string(static_cast<const char*>(bytes.bytes), bytes.len) : std::string();
}

std::string describe(const amqp_rpc_reply_t& reply) {
    switch (reply.reply_type) {
        case AMQP_RESPONSE_NORMAL:
            return "ok";
        case AMQP_RESPONSE_NONE:
            return "no reply";
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            return amqp_error_string2(reply.library_error);
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
                auto* close = static_cast<amqp_connection_close_t*>(reply.reply.decoded);
                return Poco::format("connection closed by broker: %hu %s", close->reply_code,
                                    escapeForLog(stringOf(close->reply_text)));
            }
            if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
                auto* close = static_cast<amqp_channel_close_t*>(reply.reply.decoded);
                return Poco::format("channel closed by broker: %hu %s", close->reply_code,
                                    escapeForLog(stringOf(close->reply_text)));
            }
            return "broker error";
    }
    return "unknown reply";
}

void readProperties(const amqp_basic_properties_t& in, AmqpMessageProperties& out) {
    if (in._flags & AMQP_BASIC_MESSAGE_ID_FLAG) {
        out.messageId = stringOf(in.message_id);
    }
    if (in._flags & AMQP_BASIC_CORRELATION_ID_FLAG) {
        out.correlationId = stringOf(in.correlation_id);
    }
    if (in._flags & AMQP_BASIC_HEADERS_FLAG) {
        for (int i = 0; i < in.headers.num_entries; ++i) {
            const amqp_table_entry_t& entry = in.headers.entries[i];
            std::string key = stringOf(entry.key);
            switch (entry.value.kind) {
                case AMQP_FIELD_KIND_UTF8:
                case AMQP_FIELD_KIND_BYTES:
                    out.headers[key] = stringOf(entry.value.value.bytes);
                    break;
                case AMQP_FIELD_KIND_I64:
                    out.headers[key] = std::to_string(entry.value.value.i64);
                    break;
                case AMQP_FIELD_KIND_I32:
                    out.headers[key] = std::to_string(entry.value.value.i32);
                    break;
                case AMQP_FIELD_KIND_U32:
                    out.headers[key] = std::to_string(entry.value.value.u32);
                    break;
                default:
                    break;  // other kinds carry nothing we route on
            }
        }
    }
}

}  // namespace

AmqpConnection::AmqpConnection(const std::string& url, int heartbeatSeconds, const std::string& connectionName,
                               const BrokerTlsSettings& tls) {
    // The nodes of a cluster, in the order written; the first that lets us in wins.
    const std::vector<std::string> nodes = splitBrokerUrls(url);
    std::string failures;
    for (const std::string& node : nodes) {
        BrokerUrl broker;
        try {
            broker = parseBrokerUrl(node);
        } catch (const BrokerUrlError& error) {
            throw AmqpError("broker URL '" + redactUrl(url) + "': " + error.what());
        }
        try {
            connectTo(broker, heartbeatSeconds, connectionName, tls);
            return;
        } catch (const AmqpError& error) {
            if (nodes.size() == 1) {
                throw;
            }
            failures += (failures.empty() ? "" : "; ") + std::string(error.what());
        }
    }
    throw AmqpError(Poco::format("no broker node of %z let us in: %s", nodes.size(), failures));
}

void AmqpConnection::connectTo(const BrokerUrl& broker, int heartbeatSeconds, const std::string& connectionName,
                               const BrokerTlsSettings& tls) {
    const std::string& user = broker.user;
    const std::string& password = broker.password;
    const std::string& vhost = broker.vhost;
    const int port = broker.port;
    peer_ = broker.peer();

    state_ = amqp_new_connection();
    amqp_socket_t* socket = nullptr;
    try {
        socket = broker.tls ? newTlsSocket(state_, tls) : amqp_tcp_socket_new(state_);
    } catch (...) {
        amqp_destroy_connection(state_);
        state_ = nullptr;
        throw;
    }
    if (!socket) {
        amqp_destroy_connection(state_);
        state_ = nullptr;
        throw AmqpError("cannot create a socket");
    }
    struct timeval connectTimeout = kConnectTimeout;
    const int status = amqp_socket_open_noblock(socket, broker.host.c_str(), port, &connectTimeout);
    if (status != AMQP_STATUS_OK) {
        const std::string reason = broker.tls ? describeTlsFailure(status, tls) : amqp_error_string2(status);
        amqp_destroy_connection(state_);
        state_ = nullptr;
        throw AmqpError(
            Poco::format("cannot reach broker at %s%s: %s", broker.tls ? std::string("amqps://") : "", peer_, reason));
    }
    struct timeval handshakeTimeout = kHandshakeTimeout;
    struct timeval rpcTimeout = kRpcTimeout;
    amqp_set_handshake_timeout(state_, &handshakeTimeout);
    amqp_set_rpc_timeout(state_, &rpcTimeout);
    amqp_table_entry_t nameEntry;
    nameEntry.key = amqp_cstring_bytes("connection_name");
    nameEntry.value.kind = AMQP_FIELD_KIND_UTF8;
    nameEntry.value.value.bytes = bytesOf(connectionName);
    amqp_table_t properties{1, &nameEntry};
    amqp_rpc_reply_t login = amqp_login_with_properties(state_, vhost.c_str(), 0, 131072, heartbeatSeconds, &properties,
                                                        AMQP_SASL_METHOD_PLAIN, user.c_str(), password.c_str());
    if (login.reply_type != AMQP_RESPONSE_NORMAL) {
        const std::string reason = describe(login);
        amqp_destroy_connection(state_);
        state_ = nullptr;
        throw AmqpError(Poco::format("cannot log in to broker at %s: %s", peer_, reason));
    }
    amqp_channel_open(state_, kChannel);
    try {
        check(amqp_get_rpc_reply(state_), "channel.open");
    } catch (...) {
        amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
        amqp_destroy_connection(state_);
        state_ = nullptr;
        throw;
    }
    open_ = true;
}

AmqpConnection::~AmqpConnection() {
    if (open_) {
        // Best effort, bounded: after a failure the socket is gone and these fail fast; on a
        // link that died silently the first one gives up after kCloseTimeout and the second is
        // not tried.
        struct timeval closeTimeout = kCloseTimeout;
        amqp_set_rpc_timeout(state_, &closeTimeout);
        if (amqp_channel_close(state_, kChannel, AMQP_REPLY_SUCCESS).reply_type == AMQP_RESPONSE_NORMAL) {
            amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
        }
    }
    if (state_) {
        amqp_destroy_connection(state_);
    }
}

void AmqpConnection::check(const amqp_rpc_reply_t& reply, const char* what) {
    if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
        open_ = false;
        throw AmqpError(Poco::format("%s on %s failed: %s", std::string(what), peer_, describe(reply)));
    }
}

void AmqpConnection::checkStatus(int status, const char* what) {
    if (status != AMQP_STATUS_OK) {
        open_ = false;
        throw AmqpError(
            Poco::format("%s on %s failed: %s", std::string(what), peer_, std::string(amqp_error_string2(status))));
    }
}

void AmqpConnection::declareExchange(const std::string& name, const std::string& type, bool durable) {
    amqp_exchange_declare(state_, kChannel, bytesOf(name), bytesOf(type), 0, durable ? 1 : 0, 0, 0, amqp_empty_table);
    check(amqp_get_rpc_reply(state_), "exchange.declare");
}

void AmqpConnection::declareQueue(const std::string& name, bool durable, QueueType type) {
    const bool quorum = type == QueueType::quorum;
    if (quorum && !durable) {
        throw std::logic_error("a quorum queue is always durable: " + name);
    }
    amqp_table_entry_t typeEntry;
    typeEntry.key = amqp_cstring_bytes("x-queue-type");
    typeEntry.value.kind = AMQP_FIELD_KIND_UTF8;
    typeEntry.value.value.bytes = amqp_cstring_bytes("quorum");
    const amqp_table_t arguments = quorum ? amqp_table_t{1, &typeEntry} : amqp_empty_table;
    amqp_queue_declare(state_, kChannel, bytesOf(name), 0, durable ? 1 : 0, 0, 0, arguments);
    const amqp_rpc_reply_t reply = amqp_get_rpc_reply(state_);
    if (reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION && reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD &&
        static_cast<amqp_channel_close_t*>(reply.reply.decoded)->reply_code == AMQP_PRECONDITION_FAILED) {
        open_ = false;
        const std::string said = describe(reply);
        const std::string setting = quorum ? "quorum" : "classic";
        if (said.find("x-queue-type") != std::string::npos) {
            throw AmqpTopologyError(Poco::format(
                "queue '%s' on %s exists as another type than broker.queue_type (%s) declares; a queue's type "
                "cannot change: set broker.queue_type to the type the queue has, or delete the queue (and its "
                "messages) to let it be declared again (the broker said: %s)",
                escapeForLog(name), peer_, setting, said));
        }
        throw AmqpTopologyError(
            Poco::format("queue '%s' on %s exists with other settings than broker.queue_type "
                         "(%s) declares (the broker said: %s)",
                         escapeForLog(name), peer_, setting, said));
    }
    check(reply, "queue.declare");
}

void AmqpConnection::bindQueue(const std::string& queue, const std::string& exchange, const std::string& routingKey) {
    amqp_queue_bind(state_, kChannel, bytesOf(queue), bytesOf(exchange), bytesOf(routingKey), amqp_empty_table);
    check(amqp_get_rpc_reply(state_), "queue.bind");
}

std::uint32_t AmqpConnection::messageCount(const std::string& queue) {
    amqp_queue_declare_ok_t* ok = amqp_queue_declare(state_, kChannel, bytesOf(queue), 1, 0, 0, 0, amqp_empty_table);
    check(amqp_get_rpc_reply(state_), "queue.declare (passive)");
    return ok->message_count;
}

std::uint32_t AmqpConnection::purgeQueue(const std::string& queue) {
    amqp_queue_purge_ok_t* ok = amqp_queue_purge(state_, kChannel, bytesOf(queue));
    check(amqp_get_rpc_reply(state_), "queue.purge");
    return ok->message_count;
}

void AmqpConnection::enableConfirms() {
    amqp_confirm_select(state_, kChannel);
    check(amqp_get_rpc_reply(state_), "confirm.select");
}

std::uint64_t AmqpConnection::publish(const std::string& exchange, const std::string& routingKey,
                                      const std::string& body, const AmqpMessageProperties& properties,
                                      bool mandatory) {
    amqp_basic_properties_t props{};
    props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
    props.content_type = amqp_cstring_bytes("application/json");
    props.delivery_mode = 2;  // persistent
    if (!properties.messageId.empty()) {
        props._flags |= AMQP_BASIC_MESSAGE_ID_FLAG;
        props.message_id = bytesOf(properties.messageId);
    }
    if (!properties.correlationId.empty()) {
        props._flags |= AMQP_BASIC_CORRELATION_ID_FLAG;
        props.correlation_id = bytesOf(properties.correlationId);
    }
    std::vector<amqp_table_entry_t> entries;
    entries.reserve(properties.headers.size());
    for (const auto& [key, value] : properties.headers) {
        amqp_table_entry_t entry;
        entry.key = bytesOf(key);
        entry.value.kind = AMQP_FIELD_KIND_UTF8;
        entry.value.value.bytes = bytesOf(value);
        entries.push_back(entry);
    }
    if (!entries.empty()) {
        props._flags |= AMQP_BASIC_HEADERS_FLAG;
        props.headers = amqp_table_t{static_cast<int>(entries.size()), entries.data()};
    }
    checkStatus(amqp_basic_publish(state_, kChannel, bytesOf(exchange), bytesOf(routingKey), mandatory ? 1 : 0, 0,
                                   &props, bytesOf(body)),
                "basic.publish");
    return nextTag_++;
}

void AmqpConnection::handleUnexpectedFrame(const amqp_frame_t& frame, ConfirmResult* confirms,
                                           std::uint64_t* confirmedUpTo) {
    if (frame.frame_type != AMQP_FRAME_METHOD) {
        return;  // heartbeats are answered inside rabbitmq-c
    }
    switch (frame.payload.method.id) {
        case AMQP_BASIC_ACK_METHOD: {
            auto* ack = static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded);
            if (confirmedUpTo) {
                *confirmedUpTo = std::max(*confirmedUpTo, ack->delivery_tag);
            }
            return;
        }
        case AMQP_BASIC_NACK_METHOD: {
            auto* nack = static_cast<amqp_basic_nack_t*>(frame.payload.method.decoded);
            if (confirms && confirmedUpTo) {
                // `multiple` nacks every tag up to this one that is still unconfirmed.
                const std::uint64_t from = nack->multiple ? *confirmedUpTo + 1 : nack->delivery_tag;
                for (std::uint64_t tag = from; tag <= nack->delivery_tag; ++tag) {
                    confirms->nacked.insert(tag);
                }
                *confirmedUpTo = std::max(*confirmedUpTo, nack->delivery_tag);
            }
            return;
        }
        case AMQP_BASIC_RETURN_METHOD: {
            // An unroutable mandatory message: its content follows; the ack for it comes after.
            amqp_message_t message;
            check(amqp_read_message(state_, frame.channel, &message, 0), "reading a returned message");
            if (confirms) {
                AmqpMessageProperties properties;
                readProperties(message.properties, properties);
                confirms->returnedMessageIds.insert(properties.messageId);
            }
            amqp_destroy_message(&message);
            return;
        }
        case AMQP_CHANNEL_CLOSE_METHOD:
        case AMQP_CONNECTION_CLOSE_METHOD: {
            open_ = false;
            amqp_rpc_reply_t reply{};
            reply.reply_type = AMQP_RESPONSE_SERVER_EXCEPTION;
            reply.reply = frame.payload.method;
            throw AmqpError("broker closed the connection: " + describe(reply));
        }
        default:
            return;
    }
}

ConfirmResult AmqpConnection::waitForConfirms(std::uint64_t lastTag, std::chrono::milliseconds timeout,
                                              const std::function<bool()>& giveUp) {
    ConfirmResult result;
    std::uint64_t confirmedUpTo = confirmedUpTo_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (confirmedUpTo < lastTag) {
        if (giveUp && giveUp()) {
            open_ = false;  // confirms may still come: this channel's tags can no longer be trusted
            throw AmqpError("stopped waiting for publisher confirms on " + peer_);
        }
        const auto left = std::min<std::chrono::microseconds>(
            std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now()),
            kConfirmSlice);
        if (left.count() <= 0) {
            throw AmqpError("publisher confirms timed out on " + peer_);
        }
        struct timeval tv {
            static_cast<time_t>(left.count() / 1000000), static_cast<suseconds_t>(left.count() % 1000000)
        };
        amqp_frame_t frame;
        const int status = amqp_simple_wait_frame_noblock(state_, &frame, &tv);
        if (status == AMQP_STATUS_TIMEOUT) {
            continue;
        }
        checkStatus(status, "waiting for publisher confirms");
        handleUnexpectedFrame(frame, &result, &confirmedUpTo);
    }
    confirmedUpTo_ = confirmedUpTo;
    return result;
}

void AmqpConnection::startConsuming(const std::string& queue, std::uint16_t prefetch) {
    amqp_basic_qos(state_, kChannel, 0, prefetch, 0);
    check(amqp_get_rpc_reply(state_), "basic.qos");
    amqp_basic_consume(state_, kChannel, bytesOf(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
    check(amqp_get_rpc_reply(state_), "basic.consume");
}

std::optional<AmqpDelivery> AmqpConnection::nextDelivery(std::chrono::milliseconds timeout) {
    amqp_maybe_release_buffers(state_);
    // A zero timeval is rabbitmq-c's "immediate": buffered frames first, then one non-blocking read.
    struct timeval tv {
        static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)
    };
    amqp_envelope_t envelope;
    amqp_rpc_reply_t reply = amqp_consume_message(state_, &envelope, &tv, 0);
    if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
        AmqpDelivery delivery;
        delivery.deliveryTag = envelope.delivery_tag;
        delivery.exchange = stringOf(envelope.exchange);
        delivery.routingKey = stringOf(envelope.routing_key);
        delivery.body = stringOf(envelope.message.body);
        delivery.redelivered = envelope.redelivered != 0;
        readProperties(envelope.message.properties, delivery.properties);
        amqp_destroy_envelope(&envelope);
        return delivery;
    }
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_TIMEOUT) {
        return std::nullopt;
    }
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
        // Something other than a delivery arrived (a close, a cancel): read it and react.
        amqp_frame_t frame;
        struct timeval zero {
            0, 0
        };
        const int status = amqp_simple_wait_frame_noblock(state_, &frame, &zero);
        if (status == AMQP_STATUS_TIMEOUT) {
            return std::nullopt;
        }
        checkStatus(status, "reading a frame");
        if (frame.frame_type == AMQP_FRAME_METHOD && frame.payload.method.id == AMQP_BASIC_CANCEL_METHOD) {
            open_ = false;
            throw AmqpError("the broker cancelled the consumer (queue deleted?) on " + peer_);
        }
        handleUnexpectedFrame(frame, nullptr, nullptr);
        return std::nullopt;
    }
    open_ = false;
    throw AmqpError(Poco::format("consuming on %s failed: %s", peer_, describe(reply)));
}

std::optional<AmqpDelivery> AmqpConnection::get(const std::string& queue, std::uint32_t* remaining) {
    amqp_maybe_release_buffers(state_);
    const amqp_rpc_reply_t reply = amqp_basic_get(state_, kChannel, bytesOf(queue), 0);
    check(reply, "basic.get");
    if (reply.reply.id == AMQP_BASIC_GET_EMPTY_METHOD) {
        if (remaining) {
            *remaining = 0;
        }
        return std::nullopt;
    }
    const auto* ok = static_cast<amqp_basic_get_ok_t*>(reply.reply.decoded);
    AmqpDelivery delivery;
    delivery.deliveryTag = ok->delivery_tag;
    delivery.exchange = stringOf(ok->exchange);
    delivery.routingKey = stringOf(ok->routing_key);
    delivery.redelivered = ok->redelivered != 0;
    if (remaining) {
        *remaining = ok->message_count;
    }
    amqp_message_t message;
    check(amqp_read_message(state_, kChannel, &message, 0), "reading a message from basic.get");
    delivery.body = stringOf(message.body);
    readProperties(message.properties, delivery.properties);
    amqp_destroy_message(&message);
    return delivery;
}

std::optional<AmqpDelivery> AmqpConnection::pollDelivery() { return nextDelivery(std::chrono::milliseconds(0)); }

void AmqpConnection::ack(std::uint64_t deliveryTag, bool multiple) {
    checkStatus(amqp_basic_ack(state_, kChannel, deliveryTag, multiple ? 1 : 0), "basic.ack");
}

void AmqpConnection::reject(std::uint64_t deliveryTag, bool requeue) {
    checkStatus(amqp_basic_reject(state_, kChannel, deliveryTag, requeue ? 1 : 0), "basic.reject");
}

void AmqpConnection::serviceHeartbeats() {
    amqp_frame_t frame;
    // Not zero: rabbitmq-c takes a zero timeout as "return at once" and then never compares the
    // time against its missed-heartbeat deadline, so an idle connection would not notice a dead
    // link. With any real timeout the deadline counts, and a silent broker is an error.
    struct timeval tick {
        0, 1000
    };
    for (;;) {
        const int status = amqp_simple_wait_frame_noblock(state_, &frame, &tick);
        if (status == AMQP_STATUS_TIMEOUT) {
            return;
        }
        checkStatus(status, "reading from the broker");
        handleUnexpectedFrame(frame, nullptr, &confirmedUpTo_);
    }
}

}  // namespace micro_order::host
