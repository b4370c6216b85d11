// HTTPS listeners end to end (issue 14, point 4): `tls: {certificate, key}` on the real host,
// with a throwaway self-signed certificate made here, and a raw OpenSSL client.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "support/host_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

/// A self-signed certificate for localhost / 127.0.0.1 and its key, as PEM files.
void makeSelfSignedCertificate(const std::string& certificateFile, const std::string& keyFile) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* certificate = X509_new();
    X509_set_version(certificate, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
    X509_gmtime_adj(X509_getm_notBefore(certificate), -60);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
    X509_set_pubkey(certificate, key);
    X509_NAME* name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                               0);
    X509_set_issuer_name(certificate, name);
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    X509_add_ext(certificate, san, -1);
    X509_EXTENSION_free(san);
    ASSERT_GT(X509_sign(certificate, key, EVP_sha256()), 0);
    FILE* out = std::fopen(certificateFile.c_str(), "w");
    PEM_write_X509(out, certificate);
    std::fclose(out);
    out = std::fopen(keyFile.c_str(), "w");
    PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(out);
    X509_free(certificate);
    EVP_PKEY_free(key);
}

int connectTcp(unsigned short port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        throw std::runtime_error("connect failed");
    }
    timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    return fd;
}

/// Reads until the peer closes (or 10 s pass); what arrived.
std::string readToEnd(int fd) {
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t size = ::recv(fd, buffer, sizeof buffer, 0);
        if (size <= 0) {
            return text;
        }
        text.append(buffer, static_cast<std::size_t>(size));
    }
}

/// One request over TLS, verifying the server against `caFile`; the raw answer, or throws.
std::string httpsRequest(unsigned short port, const std::string& caFile, const std::string& request) {
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_load_verify_locations(context.get(), caFile.c_str(), nullptr) != 1) {
        throw std::runtime_error("cannot load " + caFile);
    }
    const int fd = connectTcp(port);
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context.get()), SSL_free);
    SSL_set_fd(ssl.get(), fd);
    SSL_set_tlsext_host_name(ssl.get(), "localhost");
    SSL_set1_host(ssl.get(), "localhost");
    if (SSL_connect(ssl.get()) != 1) {
        ::close(fd);
        throw std::runtime_error("TLS handshake failed: " + std::string(ERR_error_string(ERR_get_error(), nullptr)));
    }
    SSL_write(ssl.get(), request.data(), static_cast<int>(request.size()));
    std::string answer;
    char buffer[4096];
    int size = 0;
    while ((size = SSL_read(ssl.get(), buffer, sizeof buffer)) > 0) {
        answer.append(buffer, static_cast<std::size_t>(size));
    }
    ::close(fd);
    return answer;
}

std::string get(const std::string& path) {
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
}

class HostHttps : public ::testing::Test {
protected:
    void SetUp() override {
        makeSelfSignedCertificate(dir_.file("cert.pem"), dir_.file("key.pem"));
        port_ = freePort();
        host_ = std::make_unique<HostProcess>(yamlHeader() +
                                                  "http:\n"
                                                  "  header_timeout_ms: 600\n"
                                                  "plugins:\n"
                                                  "  - name: echo\n"
                                                  "    library: test_echo\n"
                                                  "    listen:\n"
                                                  "      address: 127.0.0.1:" +
                                                  std::to_string(port_) +
                                                  "\n"
                                                  "      tls: {certificate: cert.pem, key: key.pem}\n",
                                              dir_.path());
        host_->waitUntilReady();
    }
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end of host log ---\n";
        }
    }

    TempDir dir_{"https"};
    unsigned short port_ = 0;
    std::unique_ptr<HostProcess> host_;
};

TEST_F(HostHttps, GetOverHttpsSucceedsWithAVerifiedCertificate) {
    const std::string answer = httpsRequest(port_, dir_.file("cert.pem"), get("/things/42/"));
    EXPECT_EQ(answer.rfind("HTTP/1.1 200 ", 0), 0u) << answer;
    EXPECT_NE(answer.find(R"("id":"42")"), std::string::npos) << answer;
}

TEST_F(HostHttps, KeepAliveRequestsOverOneTlsConnection) {
    const std::string two = "GET /things/1 HTTP/1.1\r\nHost: localhost\r\n\r\n" + get("/things/2");
    const std::string answer = httpsRequest(port_, dir_.file("cert.pem"), two);
    EXPECT_NE(answer.find(R"("id":"1")"), std::string::npos) << answer;
    EXPECT_NE(answer.find(R"("id":"2")"), std::string::npos) << answer;
}

TEST_F(HostHttps, PlainHttpToTheTlsPortIsClosedWithoutAnAnswer) {
    const int fd = connectTcp(port_);
    const std::string request = get("/things/1/");
    ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
    const auto start = std::chrono::steady_clock::now();
    const std::string answer = readToEnd(fd);
    ::close(fd);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    EXPECT_EQ(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
    EXPECT_EQ(answer.find("\"id\""), std::string::npos) << answer;
    // The host is unharmed.
    EXPECT_EQ(httpsRequest(port_, dir_.file("cert.pem"), get("/healthz")).rfind("HTTP/1.1 200 ", 0), 0u);
}

TEST_F(HostHttps, SilentClientIsCutAtTheHandshakeTimeoutWhileOthersAreServed) {
    const int silent = connectTcp(port_);
    const auto start = std::chrono::steady_clock::now();
    // Served while the silent one holds its connection.
    EXPECT_EQ(httpsRequest(port_, dir_.file("cert.pem"), get("/things/7")).rfind("HTTP/1.1 200 ", 0), 0u);
    pollfd waiting{silent, POLLIN, 0};
    ASSERT_EQ(::poll(&waiting, 1, 5000), 1) << "not cut within 5 s";
    char byte = 0;
    EXPECT_LE(::recv(silent, &byte, 1, 0), 0);  // closed, nothing sent
    const auto took = std::chrono::steady_clock::now() - start;
    ::close(silent);
    EXPECT_GE(took, 500ms);
    EXPECT_LT(took, 3s);
    const std::string metrics = httpsRequest(port_, dir_.file("cert.pem"), get("/metrics"));
    EXPECT_NE(metrics.find(R"(micro_order_http_timeouts_total{instance="echo",kind="tls_handshake"} 1)"),
              std::string::npos)
        << metrics;
}

TEST(HostHttpsConfig, UnreadableCertificateStopsTheStart) {
    TempDir dir("https-bad");
    HostProcess host(yamlHeader() +
                         "plugins:\n"
                         "  - name: echo\n"
                         "    library: test_echo\n"
                         "    listen:\n"
                         "      address: 127.0.0.1:" +
                         std::to_string(freePort()) +
                         "\n"
                         "      tls: {certificate: missing.pem, key: missing-key.pem}\n",
                     dir.path());
    EXPECT_NE(host.wait(), 0);
    EXPECT_NE(host.log().find("cannot load TLS certificate"), std::string::npos) << host.log();
}

}  // namespace
}  // namespace micro_order::testing
