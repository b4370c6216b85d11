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

TEST(RedactDatabaseUrl, HidesTheUserInfoAndPasswordParametersOfAUri) {
    EXPECT_EQ(redactDatabaseUrl("postgresql://app:s3cret@db.example:5432/orders"),
              "postgresql://***@db.example:5432/orders");
    EXPECT_EQ(redactDatabaseUrl("postgres://db/orders?user=app&password=s3cret&sslmode=require"),
              "postgres://db/orders?user=app&password=***&sslmode=require");
    EXPECT_EQ(redactDatabaseUrl("postgresql://db/orders?sslpassword=k3y"), "postgresql://db/orders?sslpassword=***");
    EXPECT_EQ(redactDatabaseUrl("postgresql://db/orders"), "postgresql://db/orders");
}

TEST(RedactDatabaseUrl, HidesPasswordValuesOfKeyValueWords) {
    EXPECT_EQ(redactDatabaseUrl("host=db user=app password=s3cret dbname=orders"),
              "host=db user=app password=*** dbname=orders");
    EXPECT_EQ(redactDatabaseUrl("host=db password = 'two words \\' quote' dbname=orders"),
              "host=db password = *** dbname=orders");
    EXPECT_EQ(redactDatabaseUrl("sslpassword=k3y host=db"), "sslpassword=*** host=db");
    EXPECT_EQ(redactDatabaseUrl("host=db dbname=orders"), "host=db dbname=orders");
}

TEST(RedactDatabaseUrl, HidesATextThatDoesNotReadWhenItMentionsAPassword) {
    EXPECT_EQ(redactDatabaseUrl("host=db password='unclosed s3cret"), "***");
    EXPECT_EQ(redactDatabaseUrl("host=db s3cretpassword"), "***");
    EXPECT_EQ(redactDatabaseUrl("just-a-word"), "just-a-word");
}

}  // namespace
}  // namespace micro_order::host
