#pragma once

#include <amqp.h>

#include <string>

#include "host_config.hpp"

namespace micro_order::host {

/// A rabbitmq-c TLS socket on `state` set up from `tls`: TLS 1.2 or later, the CA certificates
/// of `tls.caPem` (the system's when empty), the broker's certificate and host name checked
/// unless `verify: false`, and the client certificate and key when given. Throws AmqpError
/// (amqp_connection.hpp) when the settings do not take, e.g. a key that does not match.
amqp_socket_t* newTlsSocket(amqp_connection_state_t state, const BrokerTlsSettings& tls);

/// Why opening a TLS socket failed with `status`, in words an operator can act on: OpenSSL's
/// reason (e.g. "certificate verify failed") and the setting to look at.
std::string describeTlsFailure(int status, const BrokerTlsSettings& tls);

}  // namespace micro_order::host
