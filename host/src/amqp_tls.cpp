#include "amqp_tls.hpp"

#include <amqp_ssl_socket.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <array>
#include <memory>

#include "amqp_connection.hpp"

namespace micro_order::host {
namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using Certificate = std::unique_ptr<X509, decltype(&X509_free)>;
using PrivateKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Bio memoryBio(const std::string& pem) {
    return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
}

/// OpenSSL's queued reasons for this thread, oldest first, and clears them.
std::string openSslErrors() {
    std::string reasons;
    while (const unsigned long code = ERR_get_error()) {
        std::array<char, 256> text{};
        ERR_error_string_n(code, text.data(), text.size());
        std::string reason = text.data();
        // "error:0A000086:SSL routines::certificate verify failed" → the words after the last ':'
        reason = reason.substr(reason.rfind(':') + 1);
        if (reasons.find(reason) == std::string::npos) {
            reasons += (reasons.empty() ? "" : ", ") + reason;
        }
    }
    return reasons;
}

[[noreturn]] void fail(amqp_socket_t* socket, const std::string& what) {
    (void)socket;  // owned by the connection state, freed with it
    const std::string reasons = openSslErrors();
    throw AmqpError("TLS: " + what + (reasons.empty() ? "" : ": " + reasons));
}

}  // namespace

amqp_socket_t* newTlsSocket(amqp_connection_state_t state, const BrokerTlsSettings& tls) {
    ERR_clear_error();
    amqp_socket_t* socket = amqp_ssl_socket_new(state);
    if (!socket) {
        fail(socket, "cannot create a TLS socket");
    }
    auto* context = static_cast<SSL_CTX*>(amqp_ssl_socket_get_context(socket));
    if (!context || SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) != 1) {
        fail(socket, "cannot set up the TLS context");
    }
    if (tls.caPem.empty()) {
        if (SSL_CTX_set_default_verify_paths(context) != 1) {
            fail(socket, "cannot load the system's CA certificates");
        }
    } else {
        X509_STORE* store = SSL_CTX_get_cert_store(context);
        Bio bio = memoryBio(tls.caPem);
        int added = 0;
        while (Certificate ca{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free}) {
            if (X509_STORE_add_cert(store, ca.get()) != 1) {
                fail(socket, "cannot use the CA certificates of " + tls.caFile);
            }
            ++added;
        }
        ERR_clear_error();  // the loop ends on "no start line"
        if (added == 0) {
            fail(socket, tls.caFile + " holds no PEM certificate");
        }
    }
    amqp_ssl_socket_set_verify_peer(socket, tls.verify ? 1 : 0);
    amqp_ssl_socket_set_verify_hostname(socket, tls.verify ? 1 : 0);
    if (!tls.certificatePem.empty()) {
        Bio bio = memoryBio(tls.certificatePem);
        Certificate certificate{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free};
        if (!certificate || SSL_CTX_use_certificate(context, certificate.get()) != 1) {
            fail(socket, "cannot use the client certificate of " + tls.certificateFile);
        }
        // Intermediate certificates after the first one go with it.
        while (X509* chain = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
            if (SSL_CTX_add_extra_chain_cert(context, chain) != 1) {  // takes ownership on success
                X509_free(chain);
                fail(socket, "cannot use the certificate chain of " + tls.certificateFile);
            }
        }
        ERR_clear_error();
        Bio keyBio = memoryBio(tls.keyPem);
        PrivateKey key{PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free};
        if (!key) {
            fail(socket, "cannot read the private key in " + tls.keyFile + " (PEM, not encrypted)");
        }
        if (SSL_CTX_use_PrivateKey(context, key.get()) != 1 || SSL_CTX_check_private_key(context) != 1) {
            fail(socket, "the key " + tls.keyFile + " does not belong to the certificate " + tls.certificateFile);
        }
    }
    return socket;
}

std::string describeTlsFailure(int status, const BrokerTlsSettings& tls) {
    std::string reason = amqp_error_string2(status);
    const std::string openSsl = openSslErrors();
    if (!openSsl.empty()) {
        reason += " (" + openSsl + ")";
    }
    if (status == AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED) {
        reason += ": the broker's certificate does not name the host of the URL";
    } else if (status == AMQP_STATUS_SSL_PEER_VERIFY_FAILED ||
               openSsl.find("certificate verify failed") != std::string::npos) {
        reason += tls.caFile.empty() ? ": the broker's certificate is not signed by a CA this system trusts "
                                       "(name its CA with broker.tls.ca_file)"
                                     : ": the broker's certificate is not signed by a CA of " + tls.caFile;
    }
    return reason;
}

}  // namespace micro_order::host
