#include "redact_url.hpp"

#include <gtest/gtest.h>

namespace micro_order::host {
namespace {

TEST(RedactUrl, HidesUserAndPasswordOfAValidUrl) {
    EXPECT_EQ(redactUrl("amqp://app:s3cret@broker.example:5672/vh"), "amqp://***@broker.example:5672/vh");
}

TEST(RedactUrl, HidesAPasswordThatBreaksTheUrl) {
    // An unescaped '/' or '@' in the password: the text between :// and the LAST @ goes.
    EXPECT_EQ(redactUrl("amqp://app:s3cr/et@host:5672/"), "amqp://***@host:5672/");
    EXPECT_EQ(redactUrl("amqps://app:p@ss@host/"), "amqps://***@host/");
}

TEST(RedactUrl, HidesEverythingBeforeTheLastAtWithoutAScheme) {
    EXPECT_EQ(redactUrl("amqp//app:s3cret@host"), "***@host");
    EXPECT_EQ(redactUrl("app:s3cret@host:5672"), "***@host:5672");
}

TEST(RedactUrl, LeavesAUrlWithoutCredentialsAlone) {
    EXPECT_EQ(redactUrl("amqp://host:5672/vh"), "amqp://host:5672/vh");
    EXPECT_EQ(redactUrl("localhost"), "localhost");
    EXPECT_EQ(redactUrl(""), "");
}

TEST(RedactUrl, HidesEveryNodesCredentialsInAList) {
    EXPECT_EQ(redactUrl("amqp://app:s3cret@a:5672/vh, amqps://app:s3cret@b/vh"),
              "amqp://***@a:5672/vh, amqps://***@b/vh");
    EXPECT_EQ(redactUrl("amqp://a/,amqp://b/"), "amqp://a/, amqp://b/");
}

TEST(RedactUrl, HidesAPasswordThatLooksLikeTheStartOfANode) {
    // Split at ",amqp://", the password's head would be a node of its own: the text goes as one.
    for (const char* url : {"amqp://app:s3,amqp://cret@a/", "amqp://app:5672,amqp://s3cret@a/"}) {
        const std::string redacted = redactUrl(url);
        EXPECT_EQ(redacted, "amqp://***@a/") << url;
    }
}

}  // namespace
}  // namespace micro_order::host
