#include "original_publisher.hpp"

#include <Poco/URI.h>
#include <amqp_tcp_socket.h>

#include <stdexcept>

namespace micro_order::testing {
namespace {

constexpr amqp_channel_t kChannel = 1;

amqp_bytes_t bytesOf(const std::string& text) { return amqp_bytes_t{text.size(), const_cast<char*>(text.data())}; }

}  // namespace

OriginalPublisher::OriginalPublisher(const std::string& url) {
    const Poco::URI uri(url);
    const std::string info = uri.getUserInfo();
    const auto colon = info.find(':');
    const std::string user = info.empty() ? "guest" : info.substr(0, colon);
    const std::string password = colon == std::string::npos ? "guest" : info.substr(colon + 1);
    const std::string vhost = uri.getPath().size() > 1 ? uri.getPath().substr(1) : "/";
    state_ = amqp_new_connection();
    amqp_socket_t* socket = amqp_tcp_socket_new(state_);
    if (!socket || amqp_socket_open(socket, uri.getHost().c_str(), uri.getPort() ? uri.getPort() : 5672) != 0) {
        amqp_destroy_connection(state_);
        throw std::runtime_error("cannot reach the broker at " + uri.getHost());
    }
    const amqp_rpc_reply_t login =
        amqp_login(state_, vhost.c_str(), 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, user.c_str(), password.c_str());
    if (login.reply_type != AMQP_RESPONSE_NORMAL) {
        amqp_destroy_connection(state_);
        throw std::runtime_error("cannot log in to the broker");
    }
    amqp_channel_open(state_, kChannel);
    check("channel.open");
    amqp_confirm_select(state_, kChannel);
    check("confirm.select");
}

OriginalPublisher::~OriginalPublisher() {
    amqp_channel_close(state_, kChannel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(state_);
}

void OriginalPublisher::check(const char* what) {
    if (amqp_get_rpc_reply(state_).reply_type != AMQP_RESPONSE_NORMAL) {
        throw std::runtime_error(std::string(what) + " failed");
    }
}

void OriginalPublisher::publish(const std::string& exchange, const std::string& routingKey, const std::string& body) {
    // pika's exchange_declare(exchange, exchange_type='direct'): not durable, no arguments.
    amqp_exchange_declare(state_, kChannel, bytesOf(exchange), amqp_cstring_bytes("direct"), 0, 0, 0, 0,
                          amqp_empty_table);
    check("exchange.declare");
    amqp_basic_properties_t properties{};
    properties._flags = AMQP_BASIC_DELIVERY_MODE_FLAG;
    properties.delivery_mode = 2;
    if (amqp_basic_publish(state_, kChannel, bytesOf(exchange), bytesOf(routingKey), 1, 0, &properties,
                           bytesOf(body)) != AMQP_STATUS_OK) {
        throw std::runtime_error("basic.publish failed");
    }
    const std::uint64_t tag = nextTag_++;
    // The confirm (and, for an unroutable message, the basic.return before it).
    for (;;) {
        amqp_frame_t frame;
        struct timeval timeout {
            10, 0
        };
        if (amqp_simple_wait_frame_noblock(state_, &frame, &timeout) != AMQP_STATUS_OK) {
            throw std::runtime_error("no confirm from the broker");
        }
        if (frame.frame_type != AMQP_FRAME_METHOD) {
            continue;
        }
        if (frame.payload.method.id == AMQP_BASIC_RETURN_METHOD) {
            amqp_message_t returned;
            amqp_read_message(state_, frame.channel, &returned, 0);
            amqp_destroy_message(&returned);
            throw std::runtime_error("no queue is bound to " + exchange + "/" + routingKey);
        }
        if (frame.payload.method.id == AMQP_BASIC_NACK_METHOD) {
            throw std::runtime_error("the broker refused the message");
        }
        if (frame.payload.method.id == AMQP_BASIC_ACK_METHOD &&
            static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded)->delivery_tag >= tag) {
            return;
        }
    }
}

}  // namespace micro_order::testing
