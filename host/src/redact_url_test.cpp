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

}  // namespace
}  // namespace micro_order::host
