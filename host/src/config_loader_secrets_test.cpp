// The config loader's side of secrets: broker.url_file, broker.tls's files, and no password in
// any problem.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "host_config.hpp"
#include "secret_file.hpp"

namespace micro_order::host {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPlugins = "plugin_path: plugins\nplugins:\n  - name: orders\n    library: orders\n";
constexpr const char* kPassword = "s3cr";  // part of every password below, never in a message

class ConfigLoaderSecretsTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (std::string_view name : {kAmqpUrlVariable, kCredentialsDirectoryVariable}) {
            const std::string variable(name);
            if (const char* value = std::getenv(variable.c_str())) {
                saved_[variable] = value;
            }
            ::unsetenv(variable.c_str());
        }
        std::string pattern = "/tmp/config_loader_secrets_test-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        write("plugins/orders.so", "");
    }
    void TearDown() override {
        for (std::string_view name : {kAmqpUrlVariable, kCredentialsDirectoryVariable}) {
            const std::string variable(name);
            if (auto it = saved_.find(variable); it != saved_.end()) {
                ::setenv(variable.c_str(), it->second.c_str(), 1);
            } else {
                ::unsetenv(variable.c_str());
            }
        }
        fs::remove_all(dir_);
    }
    std::string write(const std::string& relative, const std::string& text) {
        fs::create_directories((dir_ / relative).parent_path());
        std::ofstream(dir_ / relative) << text;
        ::chmod((dir_ / relative).c_str(), 0600);
        return (dir_ / relative).string();
    }
    HostConfig load(const std::string& yaml) { return loadHostConfig(write("host.yaml", yaml)); }
    /// Every problem, one per line; fails the test when the file is accepted.
    std::string problemsOf(const std::string& yaml) {
        try {
            load(yaml);
        } catch (const ConfigError& error) {
            return error.what();
        }
        ADD_FAILURE() << "accepted:\n" << yaml;
        return {};
    }

    fs::path dir_;
    std::map<std::string, std::string> saved_;
};

TEST_F(ConfigLoaderSecretsTest, UrlFileReadsTheUrlFromAFileBesideTheYaml) {
    const std::string secret = write("credentials/amqp-url", "amqp://app:pw@broker.example:5673/vh\n");

    const HostConfig config = load(std::string(kPlugins) + "broker:\n  url_file: credentials/amqp-url\n");

    EXPECT_EQ(config.broker.url, "amqp://app:pw@broker.example:5673/vh");
    EXPECT_EQ(config.broker.urlFile, secret);
    ASSERT_EQ(config.sources.size(), 2u);
    EXPECT_EQ(config.sources[0].path, (dir_ / "host.yaml").string());
    EXPECT_FALSE(config.sources[0].secret);
    EXPECT_EQ(config.sources[1].path, secret);
    EXPECT_TRUE(config.sources[1].secret);
}

TEST_F(ConfigLoaderSecretsTest, UrlFileInTheCredentialsDirectoryOfTheUnit) {
    write("run/credentials/amqp-url", "amqp://from-unit/\n");
    write("credentials/amqp-url", "amqp://by-hand/\n");
    const std::string yaml =
        std::string(kPlugins) + "broker:\n  url_file: ${CREDENTIALS_DIRECTORY:-credentials}/amqp-url\n";

    EXPECT_EQ(load(yaml).broker.url, "amqp://by-hand/");
    ::setenv(kCredentialsDirectoryVariable.data(), (dir_ / "run/credentials").c_str(), 1);
    EXPECT_EQ(load(yaml).broker.url, "amqp://from-unit/");
}

TEST_F(ConfigLoaderSecretsTest, UrlAndUrlFileTogetherAreRefused) {
    write("amqp-url", "amqp://localhost/\n");
    const std::string problems =
        problemsOf(std::string(kPlugins) + "broker:\n  url: amqp://localhost/\n  url_file: amqp-url\n");
    EXPECT_NE(problems.find(":7:13: broker.url_file: give the broker URL either as url or as url_file, not both"),
              std::string::npos)
        << problems;
}

TEST_F(ConfigLoaderSecretsTest, AnUnreadableUrlFileIsAProblemAtItsKey) {
    const std::string problems = problemsOf(std::string(kPlugins) + "broker:\n  url_file: missing/amqp-url\n");
    EXPECT_NE(problems.find(":6:13: broker.url_file: cannot read the secret in " +
                            (dir_ / "missing/amqp-url").string() + ": No such file or directory"),
              std::string::npos)
        << problems;
}

TEST_F(ConfigLoaderSecretsTest, ABrokenInlineUrlIsQuotedWithoutItsPassword) {
    // The report of issue 14: Poco's parser said "bad or invalid port number: s3cr".
    const std::string problems = problemsOf(std::string(kPlugins) + "broker:\n  url: amqp://app:s3cr/et@host:5672/\n");
    EXPECT_NE(problems.find("broker.url: 'amqp://***@host:5672/' is not a valid broker URL: the port"),
              std::string::npos)
        << problems;
    EXPECT_EQ(problems.find(kPassword), std::string::npos) << problems;
}

TEST_F(ConfigLoaderSecretsTest, ABrokenUrlInAFileIsQuotedWithoutItsPasswordAndNamesTheFile) {
    const std::string secret = write("amqp-url", "amqp://app:s3cr@et@host/\n");
    const std::string problems = problemsOf(std::string(kPlugins) + "broker:\n  url_file: amqp-url\n");
    EXPECT_NE(problems.find("broker.url_file: 'amqp://***@host/' (from " + secret + ") is not a valid broker URL"),
              std::string::npos)
        << problems;
    EXPECT_EQ(problems.find(kPassword), std::string::npos) << problems;
}

TEST_F(ConfigLoaderSecretsTest, UrlFileMayNameSeveralNodes) {
    write("amqp-url", "amqp://app:pw@node-a/vh,amqp://app:pw@node-b/vh\n");
    EXPECT_EQ(load(std::string(kPlugins) + "broker:\n  url_file: amqp-url\n").broker.url,
              "amqp://app:pw@node-a/vh,amqp://app:pw@node-b/vh");
}

TEST_F(ConfigLoaderSecretsTest, ABrokenNodeInAListIsNamedWithoutAnyPassword) {
    const std::string problems =
        problemsOf(std::string(kPlugins) + "broker:\n  url:\n    - amqp://app:s3cr@a/\n    - amqp://app:s3cr@b:x/\n");
    // A node that does not parse may hold a password cut at a comma: the list is redacted whole.
    EXPECT_NE(problems.find("broker.url: 'amqp://***@b:x/' (node 2) is not a valid broker URL: the port"),
              std::string::npos)
        << problems;
    EXPECT_EQ(problems.find(kPassword), std::string::npos) << problems;
}

TEST_F(ConfigLoaderSecretsTest, ABrokenUrlFromTheEnvironmentIsQuotedWithoutItsPassword) {
    ::setenv(kAmqpUrlVariable.data(), "amqp//app:s3cret@host", 1);
    const std::string problems = problemsOf(kPlugins);
    EXPECT_NE(problems.find("'***@host' (from MICRO_ORDER_AMQP_URL) is not a valid broker URL"), std::string::npos)
        << problems;
    EXPECT_EQ(problems.find(kPassword), std::string::npos) << problems;
}

TEST_F(ConfigLoaderSecretsTest, TlsFilesAreReadWholeAndCheckedLikeTheConfig) {
    write("tls/ca.pem", "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");
    write("tls/client.pem", "CERT\n");
    const std::string key = write("tls/client.key", "KEY\n");

    const HostConfig config = load(std::string(kPlugins) +
                                   "broker:\n  url: amqps://localhost/\n  tls:\n    ca_file: tls/ca.pem\n"
                                   "    verify: false\n    certificate: tls/client.pem\n    key: tls/client.key\n");

    const BrokerTlsSettings& tls = config.broker.tls;
    EXPECT_TRUE(tls.configured);
    EXPECT_FALSE(tls.verify);
    EXPECT_EQ(tls.caFile, (dir_ / "tls/ca.pem").string());
    EXPECT_EQ(tls.caPem, "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");
    EXPECT_EQ(tls.certificatePem, "CERT\n");
    EXPECT_EQ(tls.keyPem, "KEY\n");
    ASSERT_EQ(config.sources.size(), 4u);
    EXPECT_EQ(config.sources[3].path, key);
    EXPECT_TRUE(config.sources[3].secret);  // so it must not be readable by others
    EXPECT_FALSE(config.sources[1].secret);
}

TEST_F(ConfigLoaderSecretsTest, AmqpsAloneVerifiesAgainstTheSystemsCas) {
    const HostConfig config = load(std::string(kPlugins) + "broker:\n  url: amqps://localhost/\n");
    EXPECT_FALSE(config.broker.tls.configured);
    EXPECT_TRUE(config.broker.tls.verify);
    EXPECT_TRUE(config.broker.tls.caPem.empty());
}

TEST_F(ConfigLoaderSecretsTest, TlsSettingsNeedAnAmqpsUrlAndACompleteClientCertificate) {
    write("client.pem", "CERT\n");
    const std::string problems =
        problemsOf(std::string(kPlugins) +
                   "broker:\n  url: amqp://localhost/\n  tls:\n    certificate: client.pem\n    verify: maybe\n");
    EXPECT_NE(problems.find("broker.tls: TLS settings need an amqps:// broker URL"), std::string::npos) << problems;
    EXPECT_NE(problems.find("broker.tls.certificate: a client certificate needs both certificate and key"),
              std::string::npos)
        << problems;
    EXPECT_NE(problems.find("broker.tls.verify: 'maybe' is not one of: true, false"), std::string::npos) << problems;
}

TEST_F(ConfigLoaderSecretsTest, APostgresqlDatabaseTakesItsUrlPoolAndStatementTimeout) {
    const HostConfig config = load(std::string(kPlugins) +
                                   "databases:\n  orders:\n    connector: postgresql\n"
                                   "    url: postgresql://app@db.example/orders\n    pool_size: 3\n"
                                   "    statement_timeout_ms: 1500\n");

    ASSERT_EQ(config.databases.size(), 1u);
    EXPECT_EQ(config.databases[0].connector, "postgresql");
    EXPECT_EQ(config.databases[0].url, "postgresql://app@db.example/orders");
    EXPECT_EQ(config.databases[0].poolSize, 3);
    EXPECT_EQ(config.databases[0].statementTimeoutMs, 1500);
}

TEST_F(ConfigLoaderSecretsTest, ADatabaseUrlFileIsReadLikeTheBrokers) {
    const std::string secret = write("credentials/orders-db", "postgresql://app:pw@db.example/orders\n");

    const HostConfig config = load(std::string(kPlugins) +
                                   "databases:\n  orders:\n    connector: postgresql\n"
                                   "    url_file: credentials/orders-db\n");

    EXPECT_EQ(config.databases.at(0).url, "postgresql://app:pw@db.example/orders");
    ASSERT_EQ(config.sources.size(), 2u);
    EXPECT_EQ(config.sources[1].path, secret);
    EXPECT_TRUE(config.sources[1].secret);
}

TEST_F(ConfigLoaderSecretsTest, ADatabaseUrlLibpqCannotReadIsAProblemThatHidesItsPassword) {
    write("db-url", "host=db password='s3cret-in-file\n");
    const std::string problems = problemsOf(std::string(kPlugins) +
                                            "databases:\n"
                                            "  a:\n    connector: postgresql\n"
                                            "    url: postgresql://app:s3cret@db/x?nonsense=1\n"
                                            "  b:\n    connector: postgresql\n    url_file: db-url\n");
    EXPECT_NE(problems.find(":8:10: databases.a.url: 'postgresql://***@db/x?nonsense=1' is not a PostgreSQL "
                            "connection URI"),
              std::string::npos)
        << problems;
    EXPECT_NE(problems.find(":11:15: databases.b.url_file: '***' (from "), std::string::npos) << problems;
    EXPECT_EQ(problems.find("s3cret"), std::string::npos) << problems;
}

TEST_F(ConfigLoaderSecretsTest, DatabaseKeysMustFitTheirConnector) {
    write("db-url", "postgresql://localhost/x\n");
    const std::string problems = problemsOf(
        std::string(kPlugins) +
        "databases:\n"
        "  a:\n    connector: postgresql\n    path: a.sqlite3\n"
        "  b:\n    connector: postgresql\n    url: postgresql://localhost/x\n    url_file: db-url\n"
        "  c:\n    connector: postgresql\n"
        "  d:\n    path: d.sqlite3\n    url: postgresql://localhost/x\n"
        "  e:\n    connector: postgresql\n    url: postgresql://localhost/x\n    statement_timeout_ms: -1\n");
    EXPECT_NE(problems.find(":8:11: databases.a.path: only for connector: sqlite"), std::string::npos) << problems;
    EXPECT_NE(problems.find(":12:15: databases.b.url_file: give the database URL either as url or as url_file"),
              std::string::npos)
        << problems;
    EXPECT_NE(problems.find(":14:5: databases.c.url: missing (required for connector: postgresql"), std::string::npos)
        << problems;
    EXPECT_NE(problems.find(":17:10: databases.d.url: only for connector: postgresql"), std::string::npos) << problems;
    EXPECT_NE(problems.find("databases.e.statement_timeout_ms:"), std::string::npos) << problems;
}

}  // namespace
}  // namespace micro_order::host
