#include "broker_ceiling.hpp"

#include <amqp.h>
#include <amqp_tcp_socket.h>

#include <atomic>
#include <iomanip>
#include <ostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http_load.hpp"
#include "proc_stats.hpp"

namespace micro_order::bench {
namespace {

constexpr amqp_channel_t kChannel = 1;

amqp_bytes_t bytesOf(const std::string& text) { return amqp_bytes_t{text.size(), const_cast<char*>(text.data())}; }

void check(amqp_rpc_reply_t reply, const char* what) {
    if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
        throw std::runtime_error(std::string(what) + " failed (reply type " + std::to_string(reply.reply_type) + ")");
    }
}

void checkStatus(int status, const char* what) {
    if (status != AMQP_STATUS_OK) {
        throw std::runtime_error(std::string(what) + " failed: " + amqp_error_string2(status));
    }
}

/// One connection with channel 1 open; closed on destruction.
class Connection {
public:
    explicit Connection(const std::string& url) {
        std::vector<char> text(url.begin(), url.end());
        text.push_back('\0');
        amqp_connection_info info;
        amqp_default_connection_info(&info);
        checkStatus(amqp_parse_url(text.data(), &info), "parsing the AMQP URL");
        state_ = amqp_new_connection();
        amqp_socket_t* socket = amqp_tcp_socket_new(state_);
        checkStatus(amqp_socket_open(socket, info.host, info.port), "connecting to the broker");
        check(amqp_login(state_, info.vhost, 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, info.user, info.password), "login");
        amqp_channel_open(state_, kChannel);
        check(amqp_get_rpc_reply(state_), "channel.open");
    }
    ~Connection() {
        amqp_channel_close(state_, kChannel, AMQP_REPLY_SUCCESS);
        amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
        amqp_destroy_connection(state_);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    amqp_connection_state_t state() const { return state_; }

private:
    amqp_connection_state_t state_ = nullptr;
};

/// Reads frames until every tag up to `lastTag` is confirmed; returns how many were nacked.
std::int64_t waitForConfirms(amqp_connection_state_t state, std::uint64_t lastTag, std::uint64_t& confirmedUpTo) {
    std::int64_t nacked = 0;
    while (confirmedUpTo < lastTag) {
        amqp_frame_t frame;
        struct timeval timeout {
            30, 0
        };
        checkStatus(amqp_simple_wait_frame_noblock(state, &frame, &timeout), "waiting for confirms");
        if (frame.frame_type != AMQP_FRAME_METHOD) {
            continue;
        }
        if (frame.payload.method.id == AMQP_BASIC_ACK_METHOD) {
            auto* ack = static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded);
            confirmedUpTo = std::max(confirmedUpTo, static_cast<std::uint64_t>(ack->delivery_tag));
        } else if (frame.payload.method.id == AMQP_BASIC_NACK_METHOD) {
            auto* nack = static_cast<amqp_basic_nack_t*>(frame.payload.method.decoded);
            nacked += nack->multiple ? static_cast<std::int64_t>(nack->delivery_tag - confirmedUpTo) : 1;
            confirmedUpTo = std::max(confirmedUpTo, static_cast<std::uint64_t>(nack->delivery_tag));
        } else if (frame.payload.method.id == AMQP_BASIC_RETURN_METHOD) {
            amqp_message_t returned;
            check(amqp_read_message(state, frame.channel, &returned, 0), "reading a returned message");
            amqp_destroy_message(&returned);
            nacked++;
        } else {
            throw std::runtime_error("unexpected method while waiting for confirms");
        }
    }
    return nacked;
}

}  // namespace

bool runBrokerCeiling(const BrokerSpec& spec, std::ostream& out) {
    out << std::fixed << std::setprecision(2);
    {
        Connection setup(spec.url);
        amqp_queue_declare(setup.state(), kChannel, bytesOf(spec.queue), 0, 1, 0, 0, amqp_empty_table);
        check(amqp_get_rpc_reply(setup.state()), "queue.declare");
        amqp_queue_purge(setup.state(), kChannel, bytesOf(spec.queue));
        check(amqp_get_rpc_reply(setup.state()), "queue.purge");
    }
    Connection publisher(spec.url);
    Connection consumer(spec.url);
    amqp_confirm_select(publisher.state(), kChannel);
    check(amqp_get_rpc_reply(publisher.state()), "confirm.select");
    amqp_basic_qos(consumer.state(), kChannel, 0, static_cast<std::uint16_t>(spec.prefetch), 0);
    check(amqp_get_rpc_reply(consumer.state()), "basic.qos");
    amqp_basic_consume(consumer.state(), kChannel, bytesOf(spec.queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
    check(amqp_get_rpc_reply(consumer.state()), "basic.consume");

    const std::string body(spec.bodyBytes, 'x');
    const double brokerCpu0 = processCpuSeconds(spec.brokerPid);
    const std::int64_t start = epochMicrosNow();
    std::int64_t nacked = 0;
    std::int64_t publishEnd = 0;
    std::string publishError;  // written by the publisher before it sets publishFailed
    std::atomic<bool> publishFailed{false};

    std::thread publishing([&] {
        try {
            // Properties as the outbox relay sends them: ids, an order header, persistent JSON.
            std::string messageId = "00000000-0000-4000-8000-000000000000";
            const std::string correlationId = "11111111-1111-4111-8111-111111111111";
            std::string orderId;
            amqp_table_entry_t header;
            header.key = amqp_cstring_bytes("order_id");
            header.value.kind = AMQP_FIELD_KIND_UTF8;
            std::uint64_t tag = 0, confirmedUpTo = 0;
            for (std::int64_t i = 0; i < spec.messages; ++i) {
                const std::string n = std::to_string(i);
                messageId.replace(messageId.size() - n.size(), n.size(), n);
                orderId = std::to_string(i / 4 + 1);
                header.value.value.bytes = bytesOf(orderId);
                amqp_basic_properties_t props{};
                props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG |
                               AMQP_BASIC_MESSAGE_ID_FLAG | AMQP_BASIC_CORRELATION_ID_FLAG | AMQP_BASIC_HEADERS_FLAG;
                props.content_type = amqp_cstring_bytes("application/json");
                props.delivery_mode = 2;
                props.message_id = bytesOf(messageId);
                props.correlation_id = bytesOf(correlationId);
                props.headers = amqp_table_t{1, &header};
                checkStatus(amqp_basic_publish(publisher.state(), kChannel, amqp_empty_bytes, bytesOf(spec.queue), 1, 0,
                                               &props, bytesOf(body)),
                            "basic.publish");
                ++tag;
                if (tag % static_cast<std::uint64_t>(spec.confirmBatch) == 0 || i + 1 == spec.messages) {
                    nacked += waitForConfirms(publisher.state(), tag, confirmedUpTo);
                }
            }
            publishEnd = epochMicrosNow();
        } catch (const std::exception& error) {
            publishError = error.what();
            publishFailed = true;
        }
    });

    std::int64_t consumed = 0;
    std::string consumeError;
    const auto deadline = std::chrono::steady_clock::now() + spec.timeout;
    try {
        while (consumed < spec.messages && std::chrono::steady_clock::now() < deadline) {
            amqp_maybe_release_buffers(consumer.state());
            amqp_envelope_t envelope;
            struct timeval timeout {
                1, 0
            };
            const amqp_rpc_reply_t reply = amqp_consume_message(consumer.state(), &envelope, &timeout, 0);
            if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_TIMEOUT) {
                if (publishFailed) {
                    break;
                }
                continue;
            }
            check(reply, "consuming");
            checkStatus(amqp_basic_ack(consumer.state(), kChannel, envelope.delivery_tag, 0), "basic.ack");
            amqp_destroy_envelope(&envelope);
            consumed++;
        }
    } catch (const std::exception& error) {
        consumeError = error.what();
    }
    const std::int64_t end = epochMicrosNow();
    publishing.join();
    const double brokerCpu = processCpuSeconds(spec.brokerPid) - brokerCpu0;

    const double seconds = static_cast<double>(end - start) / 1e6;
    const double publishSeconds = publishEnd > 0 ? static_cast<double>(publishEnd - start) / 1e6 : 0;
    const bool ok = consumed == spec.messages && nacked == 0 && publishError.empty() && consumeError.empty();
    out << "broker: " << consumed << " of " << spec.messages << " persistent " << spec.bodyBytes
        << "-byte messages through one durable queue in " << seconds
        << " s = " << static_cast<double>(consumed) / seconds << " msgs/s (confirms every " << spec.confirmBatch
        << ", prefetch " << spec.prefetch << "); publishing alone took " << publishSeconds << " s\n";
    if (!publishError.empty() || !consumeError.empty() || nacked) {
        out << "  problems: " << publishError << " " << consumeError << " nacked=" << nacked << "\n";
    }
    out << "RESULT mode=broker ok=" << (ok ? 1 : 0) << " messages=" << consumed << " seconds=" << seconds
        << " msgs_per_s=" << static_cast<double>(consumed) / seconds
        << " publish_per_s=" << (publishSeconds > 0 ? static_cast<double>(spec.messages) / publishSeconds : 0);
    if (spec.brokerPid) {
        out << " broker_cpu_s=" << brokerCpu;
    }
    out << "\n";
    return ok;
}

}  // namespace micro_order::bench
