// TLS to the broker (issue 14, point 4): amqps:// against a private RabbitMQ node that only
// speaks TLS and wants a client certificate (tls_broker.sh, ctest fixture `tls_broker`).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "amqp_connection.hpp"
#include "host/echo_consumer_yaml.hpp"
#include "secret_file.hpp"
#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

/// MICRO_ORDER_TLS_BROKER_DIR: the node's folder, with its port and certificates.
std::string tlsFile(const std::string& name) {
    const char* dir = std::getenv("MICRO_ORDER_TLS_BROKER_DIR");
    if (!dir) {
        throw std::runtime_error("MICRO_ORDER_TLS_BROKER_DIR is not set: run this test through ctest");
    }
    return std::string(dir) + "/" + name;
}

std::string tlsUrl(const std::string& host = "localhost") {
    std::string port = readFile(tlsFile("port"));
    port.erase(port.find_last_not_of("\n") + 1);
    return "amqps://guest:guest@" + host + ":" + port + "/";
}

host::BrokerTlsSettings tlsSettings(const std::string& ca, const std::string& client = "client") {
    host::BrokerTlsSettings tls;
    tls.configured = true;
    tls.caFile = tlsFile(ca + ".pem");
    tls.caPem = readFile(tls.caFile);
    if (!client.empty()) {
        tls.certificateFile = tlsFile(client + ".pem");
        tls.certificatePem = readFile(tls.certificateFile);
        tls.keyFile = tlsFile(client + ".key");
        tls.keyPem = readFile(tls.keyFile);
    }
    return tls;
}

/// The AmqpError a connection with these settings fails with ("" when it connects).
std::string refusal(const std::string& url, const host::BrokerTlsSettings& tls) {
    try {
        host::AmqpConnection connection(url, 30, "broker_tls_test", tls);
        return "";
    } catch (const host::AmqpError& error) {
        return error.what();
    }
}

TEST(BrokerTls, AmqpsWithTheRightCaAndAClientCertificateCarriesMessages) {
    host::AmqpConnection connection(tlsUrl(), 30, "broker_tls_test", tlsSettings("ca"));
    const std::string queue = uniqueName("tls");
    connection.declareQueue(queue, false);
    connection.publish("", queue, "over TLS", {}, false);
    connection.startConsuming(queue, 1);

    const auto delivery = connection.nextDelivery(5s);

    ASSERT_TRUE(delivery.has_value());
    EXPECT_EQ(delivery->body, "over TLS");
    connection.ack(delivery->deliveryTag);
}

TEST(BrokerTls, ABrokerCertificateFromAnotherCaIsRefusedWithAClearError) {
    const std::string error = refusal(tlsUrl(), tlsSettings("wrong-ca"));

    EXPECT_NE(error.find("cannot reach broker at amqps://localhost:"), std::string::npos) << error;
    EXPECT_NE(error.find("SSL peer cert verification failed"), std::string::npos) << error;
    EXPECT_NE(error.find("not signed by a CA of " + tlsFile("wrong-ca.pem")), std::string::npos) << error;
}

TEST(BrokerTls, TheHostNameOfTheUrlMustBeInTheCertificate) {
    // The certificate names localhost, not 127.0.0.1.
    const std::string error = refusal(tlsUrl("127.0.0.1"), tlsSettings("ca"));
    EXPECT_NE(error.find("does not name the host of the URL"), std::string::npos) << error;

    host::BrokerTlsSettings unchecked = tlsSettings("wrong-ca");
    unchecked.verify = false;  // the documented way out, for a test broker only
    EXPECT_EQ(refusal(tlsUrl("127.0.0.1"), unchecked), "");
}

TEST(BrokerTls, TheBrokerRefusesAClientWithoutACertificateOfItsCa) {
    EXPECT_NE(refusal(tlsUrl(), tlsSettings("ca", "")), "");
    EXPECT_NE(refusal(tlsUrl(), tlsSettings("ca", "stranger")), "");
}

TEST(BrokerTls, AKeyThatIsNotTheCertificatesIsRefusedBeforeConnecting) {
    host::BrokerTlsSettings tls = tlsSettings("ca");
    tls.keyFile = tlsFile("stranger.key");
    tls.keyPem = readFile(tls.keyFile);
    const std::string error = refusal(tlsUrl(), tls);
    EXPECT_NE(error.find("the key " + tlsFile("stranger.key") + " does not belong to the certificate"),
              std::string::npos)
        << error;
}

TEST(BrokerTls, TheHostPublishesAndConsumesOverAmqps) {
    const std::string queue = uniqueName("tls.queue");
    const std::string exchange = uniqueName("tls.exchange");
    const unsigned short port = freePort();
    std::string yaml = echoConsumerYaml(port, queue, exchange, 5);
    const auto url = yaml.find("  url: ");
    yaml.replace(url, yaml.find('\n', url) - url,
                 "  url: " + tlsUrl() + "\n  tls:\n    ca_file: " + tlsFile("ca.pem") +
                     "\n    certificate: " + tlsFile("client.pem") + "\n    key: " + tlsFile("client.key"));
    HostProcess host(yaml);
    host.waitUntilReady();
    ASSERT_TRUE(host.waitForLog("consuming " + queue, 15s)) << host.log();

    ASSERT_EQ(httpRequest(port, "POST", "/rows/", "through TLS").status, 201);
    std::vector<std::string> consumed;
    for (auto deadline = std::chrono::steady_clock::now() + 10s;
         consumed.empty() && std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(50ms)) {
        consumed = echoRows(port, "amqp");
    }

    ASSERT_EQ(consumed, std::vector<std::string>{"through TLS"}) << host.log();
    EXPECT_EQ(httpRequest(port, "GET", "/readyz").status, 200);
}

TEST(BrokerTls, AHostWithTheWrongCaSaysWhyItCannotConnect) {
    const unsigned short port = freePort();
    std::string yaml = echoConsumerYaml(port, uniqueName("tls.queue"), uniqueName("tls.exchange"), 5, "debug");
    const auto url = yaml.find("  url: ");
    yaml.replace(url, yaml.find('\n', url) - url,
                 "  url: " + tlsUrl() + "\n  tls:\n    ca_file: " + tlsFile("wrong-ca.pem") +
                     "\n    certificate: " + tlsFile("client.pem") + "\n    key: " + tlsFile("client.key"));
    HostProcess host(yaml);
    host.waitUntilReady();

    EXPECT_TRUE(host.waitForLog("the broker's certificate is not signed by a CA of " + tlsFile("wrong-ca.pem")))
        << host.log();
    // A broker it cannot reach leaves the instance serving (the outbox keeps what it publishes):
    // /readyz says so as "degraded", not as unready (README: what /readyz says).
    const auto ready = httpRequest(port, "GET", "/readyz");
    EXPECT_EQ(ready.status, 200);
    EXPECT_NE(ready.body.find("degraded"), std::string::npos) << ready.body;
}

}  // namespace
}  // namespace micro_order::testing
