#include "broker_url.hpp"

#include <gtest/gtest.h>

namespace micro_order::host {
namespace {

std::string errorOf(std::string_view url) {
    try {
        parseBrokerUrl(url);
    } catch (const BrokerUrlError& error) {
        return error.what();
    }
    ADD_FAILURE() << "accepted " << url;
    return {};
}

TEST(BrokerUrl, TakesAFullUrlApartAndDecodesIt) {
    const BrokerUrl url = parseBrokerUrl("amqp://app:p%40ss%2Fw%3Ard@broker.example:5673/my%2fvhost");
    EXPECT_FALSE(url.tls);
    EXPECT_EQ(url.user, "app");
    EXPECT_EQ(url.password, "p@ss/w:rd");
    EXPECT_EQ(url.host, "broker.example");
    EXPECT_EQ(url.port, 5673);
    EXPECT_EQ(url.vhost, "my/vhost");
    EXPECT_EQ(url.peer(), "broker.example:5673/my/vhost");
}

TEST(BrokerUrl, DefaultsAreGuestPort5672AndTheRootVhost) {
    const BrokerUrl url = parseBrokerUrl("amqp://localhost");
    EXPECT_EQ(url.user, "guest");
    EXPECT_EQ(url.password, "guest");
    EXPECT_EQ(url.port, 5672);
    EXPECT_EQ(url.vhost, "/");
    EXPECT_EQ(parseBrokerUrl("amqp://localhost/").vhost, "/");
    EXPECT_EQ(parseBrokerUrl("amqp://localhost/%2f").vhost, "/");
}

TEST(BrokerUrl, AmqpsMeansTlsOnPort5671) {
    const BrokerUrl url = parseBrokerUrl("amqps://u:p@localhost/vh");
    EXPECT_TRUE(url.tls);
    EXPECT_EQ(url.port, 5671);
}

TEST(BrokerUrl, Ipv6HostsGoInBrackets) {
    const BrokerUrl url = parseBrokerUrl("amqp://[::1]:5672/");
    EXPECT_EQ(url.host, "::1");
    EXPECT_EQ(url.peer(), "[::1]:5672//");
}

TEST(BrokerUrl, AUserWithoutColonHasAnEmptyPassword) {
    const BrokerUrl url = parseBrokerUrl("amqp://reader@localhost");
    EXPECT_EQ(url.user, "reader");
    EXPECT_EQ(url.password, "");
}

TEST(BrokerUrl, ErrorsNeverQuoteAnyPartOfTheUrl) {
    // The password holds an unescaped '/': the authority ends early and "s3cr" looks like a port.
    const std::string error = errorOf("amqp://app:s3cr/et@host:5672/");
    EXPECT_NE(error.find("port"), std::string::npos) << error;
    EXPECT_EQ(error.find("s3cr"), std::string::npos) << error;
    EXPECT_EQ(error.find("app"), std::string::npos) << error;
    for (const char* url : {"amqp://app:s3cr%zzet@host/", "amqp://app:s3cr@et@host/", "http://app:s3cret@host/",
                            "amqp://app:s3cret@host/vh?x=s3cret", "amqp://app:s3cret@:5672/", "amqp://a:s3cret@h:/"}) {
        const std::string message = errorOf(url);
        EXPECT_FALSE(message.empty()) << url;
        EXPECT_EQ(message.find("s3cr"), std::string::npos) << url << " -> " << message;
    }
}

TEST(BrokerUrl, RejectsWhatIsNotAnAmqpUrl) {
    EXPECT_EQ(errorOf("localhost:5672"), "must start with amqp:// or amqps://");
    EXPECT_EQ(errorOf("amqp:///vhost"), "has no host");
    EXPECT_NE(errorOf("amqp://host:99999/").find("port"), std::string::npos);
    EXPECT_NE(errorOf("amqp://host /").find("space"), std::string::npos);
    EXPECT_NE(errorOf("amqp://[::1/").find("']'"), std::string::npos);
}

TEST(BrokerUrl, ANodeListSplitsAtCommasFollowedByAScheme) {
    EXPECT_EQ(splitBrokerUrls("amqp://a:5672/vh, amqps://u:p@b/vh"),
              (std::vector<std::string>{"amqp://a:5672/vh", "amqps://u:p@b/vh"}));
    EXPECT_EQ(splitBrokerUrls("amqp://a/,amqp://b/ ,\tamqp://c/"),
              (std::vector<std::string>{"amqp://a/", "amqp://b/", "amqp://c/"}));
    EXPECT_EQ(splitBrokerUrls(" amqp://a/ "), (std::vector<std::string>{"amqp://a/"}));
    EXPECT_EQ(splitBrokerUrls(""), (std::vector<std::string>{""}));
}

TEST(BrokerUrl, ACommaInAPasswordDoesNotSplitTheNode) {
    EXPECT_EQ(splitBrokerUrls("amqp://u:p,w@a/, amqp://u:p,w@b/"),
              (std::vector<std::string>{"amqp://u:p,w@a/", "amqp://u:p,w@b/"}));
}

}  // namespace
}  // namespace micro_order::host
