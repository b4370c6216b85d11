#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "host_config.hpp"

namespace micro_order::host {
namespace {

namespace fs = std::filesystem;

// A plugin section that is valid on its own, so a test adds exactly the one problem it is about.
constexpr const char* kValidPlugins =
    "plugin_path: plugins\n"
    "plugins:\n"
    "  - name: orders\n"
    "    library: orders\n";

class ConfigLoaderTest : public ::testing::Test {
protected:
    void SetUp() override {
        // An operator's shell may export the override; these tests must see the file's URL.
        if (const char* url = std::getenv(kAmqpUrlVariable.data())) {
            savedUrl_ = url;
        }
        ::unsetenv(kAmqpUrlVariable.data());

        std::string pattern = (fs::temp_directory_path() / "config_loader_test-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        file_ = (dir_ / "host.yaml").string();
        touch("plugins/orders.so");
    }

    void TearDown() override {
        if (savedUrl_) {
            ::setenv(kAmqpUrlVariable.data(), savedUrl_->c_str(), 1);
        } else {
            ::unsetenv(kAmqpUrlVariable.data());
        }
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    void write(const std::string& relative, const std::string& text) {
        fs::create_directories((dir_ / relative).parent_path());
        std::ofstream(dir_ / relative) << text;
    }

    /// A dummy plugin library: the loader only checks that the file exists.
    void touch(const std::string& relative) { write(relative, ""); }

    HostConfig load(const std::string& yaml) {
        write("host.yaml", yaml);
        return loadHostConfig(file_);
    }

    /// The problems reported for `yaml`; fails the test if the file is accepted.
    std::vector<std::string> problemsOf(const std::string& yaml) {
        write("host.yaml", yaml);
        try {
            loadHostConfig(file_);
        } catch (const ConfigError& e) {
            return e.problems();
        }
        ADD_FAILURE() << "expected a ConfigError for:\n" << yaml;
        return {};
    }

    /// Checks that one problem reads `file:line:column: key: ...message...`.
    ::testing::AssertionResult hasProblem(const std::vector<std::string>& problems, int line, int column,
                                          const std::string& key, const std::string& message) const {
        const std::string prefix =
            file_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + key + ": ";
        for (const auto& problem : problems) {
            if (problem.starts_with(prefix) && problem.find(message, prefix.size()) != std::string::npos) {
                return ::testing::AssertionSuccess();
            }
        }
        auto failure = ::testing::AssertionFailure()
                       << "no problem starting with '" << prefix << "' and containing '" << message << "' among:";
        for (const auto& problem : problems) {
            failure << "\n  " << problem;
        }
        return failure;
    }

    fs::path dir_;
    std::string file_;

private:
    std::optional<std::string> savedUrl_;
};

// --- errors ---------------------------------------------------------------------------------

TEST_F(ConfigLoaderTest, SyntaxErrorIsReportedAtYamlCppMark) {
    const auto problems = problemsOf(
        "log_level: debug\n"
        "plugins: [a, b\n"
        "shutdown_grace_ms: 1\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 3, 18, "yaml", "end of sequence flow not found"));
}

TEST_F(ConfigLoaderTest, MissingFileIsReported) {
    const std::string missing = (dir_ / "nope.yaml").string();
    try {
        loadHostConfig(missing);
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& e) {
        ASSERT_EQ(e.problems().size(), 1u);
        EXPECT_EQ(e.problems()[0], missing + ":1:1: file: no such file");
    }
}

TEST_F(ConfigLoaderTest, EmptyFileIsReported) {
    const auto problems = problemsOf("# nothing but a comment\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 1, 1, "(top level)", "the file is empty"));
}

TEST_F(ConfigLoaderTest, TopLevelListIsRejected) {
    const auto problems = problemsOf("- plugins\n- http\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 1, 1, "(top level)", "expected a map, got a list"));
}

TEST_F(ConfigLoaderTest, UnknownTopLevelKeyIsReported) {
    const auto problems = problemsOf(std::string(kValidPlugins) + "log_levle: debug\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 5, 1, "log_levle", "unknown key"));
}

TEST_F(ConfigLoaderTest, UnknownKeyInHttpIsReported) {
    const auto problems = problemsOf(std::string(kValidPlugins) + "http:\n  max_threads: 4\n  threads: 4\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 7, 3, "http.threads", "unknown key"));
}

TEST_F(ConfigLoaderTest, UnknownKeyInBrokerAndReconnectIsReported) {
    const auto problems = problemsOf(std::string(kValidPlugins) +
                                     "broker:\n"
                                     "  uri: amqp://localhost/\n"
                                     "  reconnect: {initial_delay: 1}\n");
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_TRUE(hasProblem(problems, 6, 3, "broker.uri", "unknown key"));
    EXPECT_TRUE(hasProblem(problems, 7, 15, "broker.reconnect.initial_delay", "unknown key"));
}

TEST_F(ConfigLoaderTest, UnknownKeyInDatabaseIsReported) {
    const auto problems = problemsOf(std::string(kValidPlugins) +
                                     "databases:\n"
                                     "  orders:\n"
                                     "    path: orders.sqlite3\n"
                                     "    pool: 4\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 8, 5, "databases.orders.pool", "unknown key"));
}

TEST_F(ConfigLoaderTest, UnknownKeyInPluginIsReported) {
    const auto problems = problemsOf(std::string(kValidPlugins) + "    port: 8000\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 5, 5, "plugins[0].port", "unknown key"));
}

TEST_F(ConfigLoaderTest, DuplicateYamlKeyIsRejected) {
    const auto problems = problemsOf(std::string(kValidPlugins) + "http:\n  max_threads: 4\n  max_threads: 8\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 7, 3, "http.max_threads", "duplicate key (first at line 6)"));
}

TEST_F(ConfigLoaderTest, NonIntegerIsRejected) {
    const auto problems = problemsOf(std::string(kValidPlugins) + "http:\n  max_threads: \"many\"\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 6, 16, "http.max_threads", "expected an integer, got 'many'"));
}

TEST_F(ConfigLoaderTest, EmptyValueIsReportedAtItsKey) {
    const auto problems = problemsOf(std::string(kValidPlugins) + "shutdown_grace_ms:\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 5, 1, "shutdown_grace_ms", "expected an integer, got nothing"));
}

TEST_F(ConfigLoaderTest, OutOfRangeIntegerIsRejected) {
    const auto problems = problemsOf(std::string(kValidPlugins) +
                                     "http:\n"
                                     "  max_queued: 0\n"
                                     "  max_body_bytes: 99999999999999999999\n"
                                     "databases:\n"
                                     "  orders: {path: o.db, pool_size: -1}\n");
    ASSERT_EQ(problems.size(), 3u);
    EXPECT_TRUE(hasProblem(problems, 6, 15, "http.max_queued", "must be between 1 and 2147483647, got 0"));
    EXPECT_TRUE(hasProblem(problems, 7, 19, "http.max_body_bytes", "must be between 1 and"));
    EXPECT_TRUE(hasProblem(problems, 9, 35, "databases.orders.pool_size", "got -1"));
}

// --- http: -------------------------------------------------------------------------------------

TEST_F(ConfigLoaderTest, HttpDefaultsAreTheDocumentedOnes) {
    const HttpSettings http = load(kValidPlugins).http;
    EXPECT_EQ(http.ioThreads, 0);
    EXPECT_EQ(http.workerThreads, 16);
    EXPECT_EQ(http.workerQueue, 256);
    EXPECT_EQ(http.maxConnections, 10000);
    EXPECT_EQ(http.headerTimeoutMs, 5000);
    EXPECT_EQ(http.bodyTimeoutMs, 30000);
    EXPECT_EQ(http.keepAliveTimeoutSeconds, 10);
    EXPECT_EQ(http.sendTimeoutMs, 30000);
    EXPECT_EQ(http.maxKeepAliveRequests, 0);
    EXPECT_EQ(http.maxHeaderBytes, 16384u);
    EXPECT_EQ(http.maxHeaderCount, 100);
    EXPECT_EQ(http.maxUriBytes, 8192u);
    EXPECT_EQ(http.maxBodyBytes, 1048576u);
}

TEST_F(ConfigLoaderTest, EveryHttpKeyIsRead) {
    const auto config = load(std::string(kValidPlugins) +
                             "http:\n"
                             "  io_threads: 3\n"
                             "  worker_threads: 4\n"
                             "  worker_queue: 0\n"
                             "  max_connections: 20000\n"
                             "  header_timeout_ms: 1500\n"
                             "  body_timeout_ms: 2500\n"
                             "  keep_alive_timeout_s: 0\n"
                             "  send_timeout_ms: 3500\n"
                             "  max_keep_alive_requests: 100\n"
                             "  max_header_bytes: 4096\n"
                             "  max_header_count: 20\n"
                             "  max_uri_bytes: 1024\n"
                             "  max_body_bytes: 4096\n");
    const HttpSettings& http = config.http;
    EXPECT_EQ(http.ioThreads, 3);
    EXPECT_EQ(http.workerThreads, 4);
    EXPECT_EQ(http.workerQueue, 0);
    EXPECT_EQ(http.maxConnections, 20000);
    EXPECT_EQ(http.headerTimeoutMs, 1500);
    EXPECT_EQ(http.bodyTimeoutMs, 2500);
    EXPECT_EQ(http.keepAliveTimeoutSeconds, 0);
    EXPECT_EQ(http.sendTimeoutMs, 3500);
    EXPECT_EQ(http.maxKeepAliveRequests, 100);
    EXPECT_EQ(http.maxHeaderBytes, 4096u);
    EXPECT_EQ(http.maxHeaderCount, 20);
    EXPECT_EQ(http.maxUriBytes, 1024u);
    EXPECT_EQ(http.maxBodyBytes, 4096u);
    EXPECT_TRUE(config.warnings.empty());
}

TEST_F(ConfigLoaderTest, HttpValuesOutsideTheirRangesAreRejected) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"io_threads: -1", "between 0 and 256"},
        {"io_threads: 257", "between 0 and 256"},
        {"worker_threads: 0", "between 1 and 1024"},
        {"worker_threads: 1025", "between 1 and 1024"},
        {"worker_queue: -1", "between 0 and 2147483647"},
        {"max_connections: 0", "between 1 and 2147483647"},
        {"header_timeout_ms: 0", "between 1 and 2147483647"},
        {"body_timeout_ms: 0", "between 1 and 2147483647"},
        {"keep_alive_timeout_s: 86401", "between 0 and 86400"},
        {"send_timeout_ms: 0", "between 1 and 2147483647"},
        {"max_keep_alive_requests: -1", "between 0 and 2147483647"},
        {"max_header_bytes: 255", "between 256 and 1048576"},
        {"max_header_count: 0", "between 1 and 2147483647"},
        {"max_uri_bytes: 15", "between 16 and 1048576"},
        {"max_body_bytes: 0", "between 1 and"},
    };
    for (const auto& [line, message] : cases) {
        const auto problems = problemsOf(std::string(kValidPlugins) + "http:\n  " + line + "\n");
        ASSERT_EQ(problems.size(), 1u) << line;
        const std::string key = line.substr(0, line.find(':'));
        EXPECT_TRUE(hasProblem(problems, 6, static_cast<int>(key.size()) + 5, "http." + key, message)) << line;
    }
}

TEST_F(ConfigLoaderTest, DeprecatedMaxThreadsAndMaxQueuedAreMappedWithOneWarningEach) {
    const auto config = load(std::string(kValidPlugins) +
                             "http:\n"
                             "  max_threads: 32\n"
                             "  max_queued: 64\n");
    EXPECT_EQ(config.http.workerThreads, 32);
    EXPECT_EQ(config.http.workerQueue, 64);
    ASSERT_EQ(config.warnings.size(), 2u);
    EXPECT_EQ(config.warnings[0], file_ +
                                      ":6:16: http.max_threads: deprecated: read as http.worker_threads: 32 (handler "
                                      "threads per listener); rename the key");
    EXPECT_EQ(config.warnings[1], file_ +
                                      ":7:15: http.max_queued: deprecated: read as http.worker_queue: 64 (requests "
                                      "waiting for a worker); rename the key");
}

TEST_F(ConfigLoaderTest, DeprecatedKeysBesideTheirReplacementsAreIgnoredWithAWarning) {
    const auto config = load(std::string(kValidPlugins) +
                             "http:\n"
                             "  max_threads: 32\n"
                             "  worker_threads: 8\n"
                             "  worker_queue: 10\n"
                             "  max_queued: 64\n");
    EXPECT_EQ(config.http.workerThreads, 8);
    EXPECT_EQ(config.http.workerQueue, 10);
    ASSERT_EQ(config.warnings.size(), 2u);
    EXPECT_NE(config.warnings[0].find("http.max_threads: deprecated and ignored: http.worker_threads is set"),
              std::string::npos)
        << config.warnings[0];
    EXPECT_NE(config.warnings[1].find("http.max_queued: deprecated and ignored: http.worker_queue is set"),
              std::string::npos)
        << config.warnings[1];
}

TEST_F(ConfigLoaderTest, AnOldHugeMaxThreadsIsCappedNotRefused) {
    const auto config = load(std::string(kValidPlugins) + "http:\n  max_threads: 5000\n");
    EXPECT_EQ(config.http.workerThreads, 1024);
    ASSERT_EQ(config.warnings.size(), 1u);
    EXPECT_NE(config.warnings[0].find("read as http.worker_threads: 1024"), std::string::npos) << config.warnings[0];
}

TEST_F(ConfigLoaderTest, ReconnectMaxBelowInitialIsRejected) {
    const auto problems = problemsOf(std::string(kValidPlugins) +
                                     "broker:\n"
                                     "  reconnect:\n"
                                     "    initial_delay_ms: 500\n"
                                     "    max_delay_ms: 100\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 8, 19, "broker.reconnect.max_delay_ms", "must be >= initial_delay_ms (500)"));
}

TEST_F(ConfigLoaderTest, DuplicatePluginNameNamesFirstLine) {
    const auto problems = problemsOf(std::string(kValidPlugins) +
                                     "  - name: orders\n"
                                     "    library: orders\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 5, 11, "plugins[1].name", "duplicate name 'orders' (first at line 3)"));
}

TEST_F(ConfigLoaderTest, InvalidPluginNameIsRejected) {
    const auto problems = problemsOf(
        "plugin_path: plugins\n"
        "plugins:\n"
        "  - {name: my orders, library: orders}\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 3, 12, "plugins[0].name", "may only use letters, digits"));
}

TEST_F(ConfigLoaderTest, DuplicateListenIsRejected) {
    const auto problems = problemsOf(
        "plugin_path: plugins\n"
        "plugins:\n"
        "  - {name: a, library: orders, listen: 127.0.0.1:8000}\n"
        "  - {name: b, library: orders, listen: 127.0.0.1:8001}\n"
        "  - {name: c, library: orders, listen: 127.0.0.1:8000}\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(
        hasProblem(problems, 5, 40, "plugins[2].listen", "port 8000 is already taken by plugins[0].listen (line 3)"));
}

TEST_F(ConfigLoaderTest, WildcardListenConflictsWithAnyHostOnSamePort) {
    const auto problems = problemsOf(
        "plugin_path: plugins\n"
        "plugins:\n"
        "  - {name: a, library: orders, listen: 0.0.0.0:8000}\n"
        "  - {name: b, library: orders, listen: 10.1.2.3:8000}\n"
        "  - {name: c, library: orders, listen: 10.1.2.3:8001}\n"
        "  - {name: d, library: orders, listen: 10.1.2.4:8001}\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 4, 40, "plugins[1].listen", "already taken by plugins[0].listen"));
}

TEST_F(ConfigLoaderTest, ListenWithoutPortIsRejected) {
    const auto problems = problemsOf(std::string(kValidPlugins) + "    listen: 127.0.0.1\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 5, 13, "plugins[0].listen", "'127.0.0.1' is not host:port: no port"));
}

TEST_F(ConfigLoaderTest, ListenPortAbove65535IsRejected) {
    const auto problems = problemsOf(std::string(kValidPlugins) + "    listen: 127.0.0.1:70000\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 5, 13, "plugins[0].listen", "port must be between 1 and 65535"));
}

TEST_F(ConfigLoaderTest, ListenWithoutHostOrNumericPortIsRejected) {
    const auto problems = problemsOf(
        "plugin_path: plugins\n"
        "plugins:\n"
        "  - {name: a, library: orders, listen: \":8000\"}\n"
        "  - {name: b, library: orders, listen: \"localhost:http\"}\n");
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_TRUE(hasProblem(problems, 3, 40, "plugins[0].listen", "no host"));
    EXPECT_TRUE(hasProblem(problems, 4, 40, "plugins[1].listen", "port must be a number"));
}

TEST_F(ConfigLoaderTest, ListenMayBeAMapWithAPublicUrl) {
    const auto config = load(
        "plugin_path: plugins\n"
        "plugins:\n"
        "  - name: a\n"
        "    library: orders\n"
        "    listen: {address: 127.0.0.1:8000, public_url: https://orders.example.com/api/}\n"
        "  - name: b\n"
        "    library: orders\n"
        "    listen:\n"
        "      address: \"[::1]:8001\"\n");
    ASSERT_TRUE(config.plugins[0].listen);
    EXPECT_EQ(*config.plugins[0].listen, (ListenAddress{"127.0.0.1", 8000, "https://orders.example.com/api"}));
    ASSERT_TRUE(config.plugins[1].listen);
    EXPECT_EQ(*config.plugins[1].listen, (ListenAddress{"::1", 8001, ""}));
}

TEST_F(ConfigLoaderTest, ListenMapNeedsAnAddressAndKnowsItsKeys) {
    const auto problems = problemsOf(
        "plugin_path: plugins\n"
        "plugins:\n"
        "  - {name: a, library: orders, listen: {public_url: http://a.example}}\n"
        "  - {name: b, library: orders, listen: {address: 127.0.0.1:8001, tlz: yes}}\n");
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_TRUE(hasProblem(problems, 3, 40, "plugins[0].listen.address", "missing (required)"));
    EXPECT_TRUE(hasProblem(problems, 4, 66, "plugins[1].listen.tlz", "unknown key"));
}

TEST_F(ConfigLoaderTest, ListenMapTakesAuthAllowedHostsAndTls) {
    const auto config = load(
        "plugin_path: plugins\n"
        "plugins:\n"
        "  - name: a\n"
        "    library: orders\n"
        "    listen:\n"
        "      address: 127.0.0.1:8000\n"
        "      auth: {tokens_file: secrets/tokens, protect_metrics: true}\n"
        "      allowed_hosts: [Orders.Example.com, localhost]\n"
        "      tls: {certificate: /etc/ssl/cert.pem, key: key.pem}\n");
    const auto& listen = *config.plugins[0].listen;
    EXPECT_EQ(listen.tokensFile, (dir_ / "secrets/tokens").lexically_normal().string());
    EXPECT_TRUE(listen.protectMetrics);
    EXPECT_EQ(listen.allowedHosts, (std::vector<std::string>{"orders.example.com", "localhost"}));
    EXPECT_EQ(listen.tlsCertificate, "/etc/ssl/cert.pem");
    EXPECT_EQ(listen.tlsKey, (dir_ / "key.pem").lexically_normal().string());
}

TEST_F(ConfigLoaderTest, ListenSecurityKeysAreChecked) {
    const auto problems = problemsOf(
        "plugin_path: plugins\n"
        "plugins:\n"
        "  - {name: a, library: orders, listen: {address: 127.0.0.1:8000, auth: {protect_metrics: maybe}}}\n"
        "  - {name: b, library: orders, listen: {address: 127.0.0.1:8001, allowed_hosts: [], tls: {key: k}}}\n");
    EXPECT_TRUE(hasProblem(problems, 3, 72, "plugins[0].listen.auth.tokens_file", "missing (required)"));
    EXPECT_TRUE(hasProblem(problems, 3, 90, "plugins[0].listen.auth.protect_metrics", "is not one of"));
    EXPECT_TRUE(hasProblem(problems, 4, 81, "plugins[1].listen.allowed_hosts", "at least one host"));
    EXPECT_TRUE(hasProblem(problems, 4, 90, "plugins[1].listen.tls.certificate", "missing (required)"));
}

TEST_F(ConfigLoaderTest, PublicUrlMustBeAnAbsoluteHttpUrlWithoutQuery) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"ftp://orders.example.com", "the scheme must be http or https"},
        {"/orders", "the scheme must be http or https"},
        {"http://", "it has no host"},
        {"\"http://orders.example.com/?a=1\"", "must not have user info, a query or a fragment"},
        {"\"http://orders.example.com/#top\"", "must not have user info, a query or a fragment"},
        {"http://user:pw@orders.example.com/", "must not have user info, a query or a fragment"},
        {"\"http://orders.example.com/a b\"", "spaces, control and non-ASCII characters are not allowed"},
        {"\"http://evil.example\\r\\nSet-Cookie: a=b\"", "spaces, control and non-ASCII characters"},
    };
    for (const auto& [url, message] : cases) {
        const auto problems = problemsOf(std::string(kValidPlugins) +
                                         "    listen: {address: 127.0.0.1:8000, "
                                         "public_url: " +
                                         url + "}\n");
        ASSERT_EQ(problems.size(), 1u) << url;
        EXPECT_TRUE(hasProblem(problems, 5, 51, "plugins[0].listen.public_url", message)) << url;
    }
}

TEST_F(ConfigLoaderTest, ListenMapAddressesConflictLikeStrings) {
    const auto problems = problemsOf(
        "plugin_path: plugins\n"
        "plugins:\n"
        "  - {name: a, library: orders, listen: 127.0.0.1:8000}\n"
        "  - {name: b, library: orders, listen: {address: 127.0.0.1:8000, public_url: http://b.example}}\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 4, 40, "plugins[1].listen", "port 8000 is already taken by plugins[0].listen"));
}

TEST_F(ConfigLoaderTest, UnknownDatabaseReferenceIsRejected) {
    const auto problems = problemsOf(
        "databases:\n"
        "  orders: {path: orders.sqlite3}\n" +
        std::string(kValidPlugins) + "    database: order\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 7, 15, "plugins[0].database", "unknown database 'order' (databases: orders)"));
}

TEST_F(ConfigLoaderTest, MissingLibraryFileListsSearchedFolders) {
    const auto problems = problemsOf(
        "plugin_path: [plugins, /opt/none]\n"
        "plugins:\n"
        "  - name: shippings\n"
        "    library: shippings\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(
        hasProblem(problems, 4, 14, "plugins[0].library",
                   "library shippings.so not found in plugin_path: " + (dir_ / "plugins").string() + ", /opt/none"));
}

TEST_F(ConfigLoaderTest, MissingLibraryPathIsResolvedAgainstYamlFolder) {
    const auto problems = problemsOf(
        "plugins:\n"
        "  - name: custom\n"
        "    library: ./lib/custom.so\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 3, 14, "plugins[0].library",
                           "library file " + (dir_ / "lib/custom.so").string() + " not found"));
}

TEST_F(ConfigLoaderTest, MissingNameAndLibraryPointAtTheInstance) {
    const auto problems = problemsOf(
        "plugin_path: plugins\n"
        "plugins:\n"
        "  - listen: 127.0.0.1:8000\n");
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_TRUE(hasProblem(problems, 3, 5, "plugins[0].name", "missing (required)"));
    EXPECT_TRUE(hasProblem(problems, 3, 5, "plugins[0].library", "missing (required)"));
}

TEST_F(ConfigLoaderTest, MissingPluginsIsReported) {
    const auto problems = problemsOf("log_level: debug\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 1, 1, "plugins", "missing (required)"));
}

TEST_F(ConfigLoaderTest, EmptyPluginsIsReported) {
    const auto problems = problemsOf("plugins:\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 1, 1, "plugins", "must list at least one plugin instance"));
}

TEST_F(ConfigLoaderTest, UnsupportedConnectorListsSupportedOnes) {
    const auto problems = problemsOf(std::string(kValidPlugins) +
                                     "databases:\n"
                                     "  orders:\n"
                                     "    connector: mysql\n"
                                     "    path: orders.sqlite3\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 7, 16, "databases.orders.connector",
                           "unsupported connector 'mysql'; supported: sqlite, postgresql"));
}

TEST_F(ConfigLoaderTest, MissingDatabasePathPointsAtTheDatabase) {
    const auto problems = problemsOf(std::string(kValidPlugins) +
                                     "databases:\n"
                                     "  orders:\n"
                                     "    pool_size: 2\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 7, 5, "databases.orders.path", "missing (required)"));
}

TEST_F(ConfigLoaderTest, BadSynchronousModeIsRejected) {
    const auto problems = problemsOf(std::string(kValidPlugins) +
                                     "databases:\n"
                                     "  orders: {path: o.db, synchronous: FAST}\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 6, 37, "databases.orders.synchronous", "'FAST' is not one of: OFF, NORMAL, FULL"));
}

TEST_F(ConfigLoaderTest, BadBrokerUrlIsRejected) {
    const auto problems = problemsOf(std::string(kValidPlugins) + "broker:\n  url: http://localhost:5672/\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 6, 8, "broker.url", "must start with amqp://"));
}

TEST_F(ConfigLoaderTest, BrokerUrlWithoutHostIsRejected) {
    const auto problems = problemsOf(std::string(kValidPlugins) + "broker:\n  url: amqp:///vhost\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 6, 8, "broker.url", "has no host"));
}

TEST_F(ConfigLoaderTest, BadLogLevelIsRejected) {
    const auto problems = problemsOf("log_level: verbose\n" + std::string(kValidPlugins));
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 1, 12, "log_level",
                           "'verbose' is not one of: fatal, critical, error, warning, notice, "
                           "information, debug, trace"));
}

TEST_F(ConfigLoaderTest, ConfigMustBeAMap) {
    const auto problems = problemsOf(std::string(kValidPlugins) + "    config: [a, b]\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 5, 13, "plugins[0].config", "expected a map, got a list"));
}

TEST_F(ConfigLoaderTest, SeveralProblemsAreReportedTogetherInFileOrder) {
    const std::string yaml =
        "plugin_path: plugins\n"                    // 1
        "log_level: loud\n"                         // 2
        "http:\n"                                   // 3
        "  max_threads: many\n"                     // 4
        "databases:\n"                              // 5
        "  main: {connector: mysql, path: m.db}\n"  // 6
        "plugins:\n"                                // 7
        "  - name: a\n"                             // 8
        "    library: missing\n"                    // 9
        "    listen: 127.0.0.1\n"                   // 10
        "    database: other\n"                     // 11
        "colour: blue\n";                           // 12
    write("host.yaml", yaml);
    try {
        loadHostConfig(file_);
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& e) {
        const auto& problems = e.problems();
        ASSERT_EQ(problems.size(), 7u) << e.what();
        EXPECT_TRUE(hasProblem(problems, 2, 12, "log_level", "'loud'"));
        EXPECT_TRUE(hasProblem(problems, 4, 16, "http.max_threads", "expected an integer"));
        EXPECT_TRUE(hasProblem(problems, 6, 21, "databases.main.connector", "unsupported connector 'mysql'"));
        EXPECT_TRUE(hasProblem(problems, 9, 14, "plugins[0].library", "not found"));
        EXPECT_TRUE(hasProblem(problems, 10, 13, "plugins[0].listen", "no port"));
        EXPECT_TRUE(hasProblem(problems, 11, 15, "plugins[0].database", "unknown database 'other'"));
        EXPECT_TRUE(hasProblem(problems, 12, 1, "colour", "unknown key"));
        // One problem per line of what(), in file order.
        std::string joined;
        for (const auto& problem : problems) {
            joined += (joined.empty() ? "" : "\n") + problem;
        }
        EXPECT_EQ(e.what(), joined);
        EXPECT_TRUE(problems.front().starts_with(file_ + ":2:"));
        EXPECT_TRUE(problems.back().starts_with(file_ + ":12:"));
    }
}

TEST_F(ConfigLoaderTest, InvalidUrlFromEnvironmentNamesTheVariable) {
    ::setenv(kAmqpUrlVariable.data(), "localhost:5672", 1);
    const auto problems = problemsOf(std::string(kValidPlugins) + "broker:\n  url: amqp://localhost/\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 6, 8, "broker.url", "'localhost:5672' (from MICRO_ORDER_AMQP_URL)"));
}

TEST_F(ConfigLoaderTest, FileUrlIsCheckedEvenWhenOverridden) {
    ::setenv(kAmqpUrlVariable.data(), "amqp://localhost/", 1);
    const auto problems = problemsOf(std::string(kValidPlugins) + "broker:\n  url: localhost\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, 6, 8, "broker.url", "'localhost' is not a valid broker URL"));
}

// --- valid files ----------------------------------------------------------------------------

TEST_F(ConfigLoaderTest, FullFileYieldsItsValues) {
    touch("lib/tool.so");
    const auto config = load(
        "plugin_path: [absent, plugins]\n"
        "log_level: debug\n"
        "shutdown_grace_ms: 2500\n"
        "http:\n"
        "  worker_threads: 4\n"
        "  worker_queue: 8\n"
        "  keep_alive_timeout_s: 0\n"
        "  max_keep_alive_requests: 100\n"
        "  max_body_bytes: 4096\n"
        "broker:\n"
        "  url: amqp://user:pw@broker.example:5673/vh\n"
        "  heartbeat_s: 0\n"
        "  outbox_batch: 10\n"
        "  reconnect: {initial_delay_ms: 50, max_delay_ms: 50}\n"
        "databases:\n"
        "  orders: {path: var/orders.sqlite3, pool_size: 2, busy_timeout_ms: 0, "
        "synchronous: normal}\n"
        "  archive: {connector: sqlite, path: /srv/archive.sqlite3}\n"
        "plugins:\n"
        "  - name: orders\n"
        "    library: orders\n"
        "    listen: 127.0.0.1:8000\n"
        "    database: orders\n"
        "  - name: tool\n"
        "    library: lib/tool.so\n"
        "    listen: \"[::1]:8000\"\n"
        "    config:\n");

    EXPECT_EQ(config.file, file_);
    EXPECT_EQ(config.pluginPaths, (std::vector<std::string>{(dir_ / "absent").string(), (dir_ / "plugins").string()}));
    EXPECT_EQ(config.logLevel, "debug");
    EXPECT_EQ(config.shutdownGraceMs, 2500);
    EXPECT_EQ(config.http.workerThreads, 4);
    EXPECT_EQ(config.http.workerQueue, 8);
    EXPECT_EQ(config.http.keepAliveTimeoutSeconds, 0);
    EXPECT_EQ(config.http.maxKeepAliveRequests, 100);
    EXPECT_EQ(config.http.maxBodyBytes, 4096u);
    EXPECT_EQ(config.broker.url, "amqp://user:pw@broker.example:5673/vh");
    EXPECT_EQ(config.broker.heartbeatSeconds, 0);
    EXPECT_EQ(config.broker.outboxBatch, 10);
    EXPECT_EQ(config.broker.reconnect.initialDelayMs, 50);
    EXPECT_EQ(config.broker.reconnect.maxDelayMs, 50);

    ASSERT_EQ(config.databases.size(), 2u);
    const auto& orders = config.databases[0];
    EXPECT_EQ(orders.name, "orders");
    EXPECT_EQ(orders.connector, "sqlite");
    EXPECT_EQ(orders.path, (dir_ / "var/orders.sqlite3").string());
    EXPECT_EQ(orders.poolSize, 2);
    EXPECT_EQ(orders.busyTimeoutMs, 0);
    EXPECT_EQ(orders.synchronous, "NORMAL");  // not the default, and any case
    EXPECT_EQ(orders.mark.file, file_);
    EXPECT_EQ(orders.mark.line, 16);
    EXPECT_EQ(config.databases[1].name, "archive");
    EXPECT_EQ(config.databases[1].path, "/srv/archive.sqlite3");
    EXPECT_EQ(config.findDatabase("archive"), &config.databases[1]);

    ASSERT_EQ(config.plugins.size(), 2u);
    const auto& first = config.plugins[0];
    EXPECT_EQ(first.name, "orders");
    EXPECT_EQ(first.library, "orders");
    EXPECT_EQ(first.libraryPath, (dir_ / "plugins/orders.so").string());
    ASSERT_TRUE(first.listen);
    EXPECT_EQ(first.listen->host, "127.0.0.1");
    EXPECT_EQ(first.listen->port, 8000);
    EXPECT_EQ(first.database, "orders");
    EXPECT_EQ(first.mark.line, 19);
    EXPECT_EQ(first.mark.column, 5);
    const auto& second = config.plugins[1];
    EXPECT_EQ(second.library, "lib/tool.so");
    EXPECT_EQ(second.libraryPath, (dir_ / "lib/tool.so").string());
    ASSERT_TRUE(second.listen);
    EXPECT_EQ(second.listen->host, "::1");
    EXPECT_EQ(second.database, "");
    ASSERT_FALSE(second.config.isNull());
    Poco::Util::AbstractConfiguration::Keys keys;
    second.config->keys(keys);
    EXPECT_TRUE(keys.empty());
    ASSERT_FALSE(first.config.isNull());  // absent config: still an object, so plugins need no check
}

TEST_F(ConfigLoaderTest, DefaultsApplyWhenSectionsAreAbsent) {
    touch("orders.so");
    const auto config = load("plugins:\n  - {name: orders, library: orders}\n");
    const HttpSettings http;
    const BrokerSettings broker;
    EXPECT_EQ(config.pluginPaths, std::vector<std::string>{dir_.string()});
    EXPECT_EQ(config.logLevel, "information");
    EXPECT_EQ(config.shutdownGraceMs, 10000);
    EXPECT_EQ(config.http, http);
    EXPECT_EQ(config.http.maxBodyBytes, http.maxBodyBytes);
    EXPECT_EQ(config.broker.url, broker.url);
    EXPECT_EQ(config.broker.outboxBatch, broker.outboxBatch);
    EXPECT_TRUE(config.databases.empty());
    ASSERT_EQ(config.plugins.size(), 1u);
    EXPECT_EQ(config.plugins[0].libraryPath, (dir_ / "orders.so").string());
    EXPECT_FALSE(config.plugins[0].listen);
}

TEST_F(ConfigLoaderTest, DatabaseDefaultsApply) {
    const auto config = load(std::string(kValidPlugins) + "databases:\n  orders: {path: ../orders.sqlite3}\n");
    ASSERT_EQ(config.databases.size(), 1u);
    const DatabaseSettings defaults;
    EXPECT_EQ(config.databases[0].path, (dir_.parent_path() / "orders.sqlite3").string());
    EXPECT_EQ(config.databases[0].connector, "sqlite");
    EXPECT_EQ(config.databases[0].poolSize, defaults.poolSize);
    EXPECT_EQ(config.databases[0].busyTimeoutMs, defaults.busyTimeoutMs);
    // Written out, not read from DatabaseSettings: the durable setting is the default (issue 12).
    EXPECT_EQ(config.databases[0].synchronous, "FULL");
}

TEST_F(ConfigLoaderTest, PluginPathFoldersAreSearchedInOrder) {
    touch("first/orders.so");
    touch("second/orders.so");
    touch("second/extra.so");
    const auto config = load(
        "plugin_path: [first, second]\n"
        "plugins:\n"
        "  - {name: a, library: orders}\n"
        "  - {name: b, library: extra}\n");
    EXPECT_EQ(config.plugins[0].libraryPath, (dir_ / "first/orders.so").string());
    EXPECT_EQ(config.plugins[1].libraryPath, (dir_ / "second/extra.so").string());
}

TEST_F(ConfigLoaderTest, ConfigSubtreeIsFlattened) {
    const auto config = load(std::string(kValidPlugins) +
                             "    config:\n"
                             "      prefetch: 5\n"
                             "      queues: [a, b]\n"
                             "      nested: {x: 1, deeper: {y: yes}}\n"
                             "      routes: [{path: /a, methods: [GET, POST]}]\n"
                             "      grid: [[1, 2], [3]]\n"
                             "      blank:\n");
    const auto& settings = *config.plugins[0].config;
    EXPECT_EQ(settings.getInt("prefetch"), 5);
    EXPECT_EQ(settings.getString("queues[0]"), "a");
    EXPECT_EQ(settings.getString("queues[1]"), "b");
    EXPECT_EQ(settings.getString("nested.x"), "1");
    EXPECT_TRUE(settings.getBool("nested.deeper.y"));
    EXPECT_EQ(settings.getString("routes[0].path"), "/a");
    EXPECT_EQ(settings.getString("routes[0].methods[1]"), "POST");
    EXPECT_EQ(settings.getString("grid[0][1]"), "2");
    EXPECT_EQ(settings.getString("grid[1][0]"), "3");
    EXPECT_TRUE(settings.has("blank"));
    EXPECT_EQ(settings.getString("blank"), "");
    EXPECT_FALSE(settings.has("queues[2]"));
}

TEST_F(ConfigLoaderTest, EnvironmentOverridesBrokerUrl) {
    ::setenv(kAmqpUrlVariable.data(), "amqp://guest:guest@127.0.0.1:5672/test-vhost", 1);
    const auto config = load(std::string(kValidPlugins) + "broker:\n  url: amqp://elsewhere/\n");
    EXPECT_EQ(config.broker.url, "amqp://guest:guest@127.0.0.1:5672/test-vhost");
}

TEST_F(ConfigLoaderTest, EmptyEnvironmentVariableIsIgnored) {
    ::setenv(kAmqpUrlVariable.data(), "", 1);
    const auto config = load(std::string(kValidPlugins) + "broker:\n  url: amqp://elsewhere/\n");
    EXPECT_EQ(config.broker.url, "amqp://elsewhere/");
}

TEST_F(ConfigLoaderTest, BrokerUrlMayListTheNodesOfACluster) {
    const auto config = load(std::string(kValidPlugins) +
                             "broker:\n  url:\n    - amqp://node-a:5672/vh\n    - amqp://node-b:5672/vh\n");
    EXPECT_EQ(config.broker.url, "amqp://node-a:5672/vh, amqp://node-b:5672/vh");
    EXPECT_EQ(load(std::string(kValidPlugins) + "broker:\n  url: amqp://node-a/, amqp://node-b/\n").broker.url,
              "amqp://node-a/, amqp://node-b/");
    const auto problems = problemsOf(std::string(kValidPlugins) + "broker:\n  url: []\n");
    EXPECT_TRUE(hasProblem(problems, 6, 8, "broker.url", "must name at least one broker node"));
}

TEST_F(ConfigLoaderTest, BrokerQueueTypeIsClassicUnlessSetToQuorum) {
    EXPECT_EQ(load(kValidPlugins).broker.queueType, QueueType::classic);
    EXPECT_EQ(load(std::string(kValidPlugins) + "broker:\n  queue_type: quorum\n").broker.queueType, QueueType::quorum);
    EXPECT_EQ(load(std::string(kValidPlugins) + "broker:\n  queue_type: classic\n").broker.queueType,
              QueueType::classic);
    const auto problems = problemsOf(std::string(kValidPlugins) + "broker:\n  queue_type: stream\n");
    EXPECT_TRUE(hasProblem(problems, 6, 15, "broker.queue_type", "'stream' is not one of: classic, quorum"));
}

// The shipped all-in-one config, copied unchanged into the same layout as the source tree
// (etc/ beside build/plugins/) with dummy libraries, so its relative paths are what is tested.
TEST_F(ConfigLoaderTest, ShippedConfigLoads) {
    const fs::path shipped = fs::path(MICRO_ORDER_SOURCE_DIR) / "etc/micro-order.yaml";
    fs::create_directories(dir_ / "etc");
    fs::copy_file(shipped, dir_ / "etc/micro-order.yaml");
    for (const char* library : {"customers", "orders", "shippings", "docs", "consumers"}) {
        touch(std::string("build/plugins/") + library + ".so");
    }

    const auto config = loadHostConfig((dir_ / "etc/micro-order.yaml").string());

    EXPECT_EQ(config.pluginPaths, std::vector<std::string>{(dir_ / "build/plugins").string()});
    ASSERT_EQ(config.databases.size(), 3u);
    for (const char* name : {"customers", "orders", "shippings"}) {
        const auto* database = config.findDatabase(name);
        ASSERT_NE(database, nullptr) << name;
        EXPECT_EQ(database->path, (dir_ / "var" / (std::string(name) + ".sqlite3")).string());
    }

    struct Expected {
        const char* name;
        const char* library;
        std::optional<unsigned short> port;
        const char* database;
        const char* handler;
    };
    const Expected expected[] = {
        {"customers", "customers", 8002, "customers", nullptr},
        {"orders", "orders", 8000, "orders", nullptr},
        {"shippings", "shippings", 8001, "shippings", nullptr},
        {"docs", "docs", 9000, "", nullptr},
        {"orders_create", "consumers", std::nullopt, "shippings", "orders_create"},
        {"customers_request", "consumers", std::nullopt, "customers", "customers_request"},
        {"customers_detail", "consumers", std::nullopt, "shippings", "customers_detail"},
        {"shippings_update", "consumers", std::nullopt, "orders", "shippings_update"},
    };
    ASSERT_EQ(config.plugins.size(), std::size(expected));
    for (std::size_t i = 0; i < std::size(expected); ++i) {
        const auto& plugin = config.plugins[i];
        SCOPED_TRACE(expected[i].name);
        EXPECT_EQ(plugin.name, expected[i].name);
        EXPECT_EQ(plugin.library, expected[i].library);
        EXPECT_EQ(plugin.libraryPath, (dir_ / "build/plugins" / (std::string(expected[i].library) + ".so")).string());
        EXPECT_EQ(plugin.database, expected[i].database);
        if (expected[i].port) {
            ASSERT_TRUE(plugin.listen);
            EXPECT_EQ(plugin.listen->host, "127.0.0.1");
            EXPECT_EQ(plugin.listen->port, *expected[i].port);
        } else {
            EXPECT_FALSE(plugin.listen);
        }
        if (expected[i].handler) {
            EXPECT_EQ(plugin.config->getString("handler"), expected[i].handler);
            EXPECT_EQ(plugin.config->getInt("prefetch"), 150);
        }
    }
}

// Every shipped config, as the package installs it (one file per service and the all-in-one):
// each database it opens runs with the durable setting, written out or by default (issue 12).
TEST_F(ConfigLoaderTest, ShippedConfigsKeepEveryDatabaseDurable) {
    for (const char* library : {"customers", "orders", "shippings", "docs", "consumers"}) {
        touch(std::string("build/plugins/") + library + ".so");
    }
    fs::create_directories(dir_ / "etc");
    int databases = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(MICRO_ORDER_SOURCE_DIR) / "etc")) {
        if (entry.path().extension() != ".yaml") {
            continue;
        }
        SCOPED_TRACE(entry.path().filename().string());
        const fs::path copy = dir_ / "etc" / entry.path().filename();
        fs::copy_file(entry.path(), copy, fs::copy_options::overwrite_existing);
        for (const auto& database : loadHostConfig(copy.string()).databases) {
            EXPECT_EQ(database.synchronous, "FULL") << database.name;
            ++databases;
        }
    }
    EXPECT_GE(databases, 6);  // three in micro-order.yaml, one in each service's own file
}

// --- conf.d fragments -----------------------------------------------------------------------

TEST_F(ConfigLoaderTest, ConfDFragmentsAddDatabasesAndPluginsInNameOrder) {
    touch("plugins/summary.so");
    touch("plugins/audit.so");
    write("conf.d/20-audit.yaml", "plugins:\n  - name: audit\n    library: audit\n");
    write("conf.d/10-summary.yaml",
          "databases:\n  extra: {path: extra.sqlite3}\n"
          "plugins:\n  - name: summary\n    library: summary\n    database: extra\n    listen: 127.0.0.1:9100\n");
    write("conf.d/notes.txt", "not yaml, not read");
    const HostConfig config = load(kValidPlugins);
    ASSERT_EQ(config.plugins.size(), 3u);
    EXPECT_EQ(config.plugins[1].name, "summary");
    EXPECT_EQ(config.plugins[1].database, "extra");
    EXPECT_EQ(config.plugins[2].name, "audit");
    ASSERT_NE(config.findDatabase("extra"), nullptr);
    EXPECT_EQ(config.findDatabase("extra")->path, (dir_ / "extra.sqlite3").string());
}

TEST_F(ConfigLoaderTest, ConfDFragmentProblemsNameTheFragmentFileLineAndKey) {
    write("conf.d/50-bad.yaml",
          "plugins:\n"
          "  - name: orders\n"
          "    library: orders\n"
          "log_level: debug\n");
    std::vector<std::string> problems;
    try {
        load(kValidPlugins);
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& e) {
        problems = e.problems();
    }
    const std::string fragment = (dir_ / "conf.d/50-bad.yaml").string();
    bool duplicate = false;
    bool unknown = false;
    for (const auto& problem : problems) {
        duplicate |= problem.starts_with(fragment + ":2:11: plugins[0].name: duplicate name 'orders'");
        unknown |= problem.starts_with(fragment + ":4:1: log_level: unknown key");
    }
    EXPECT_TRUE(duplicate) << ::testing::PrintToString(problems);
    EXPECT_TRUE(unknown) << ::testing::PrintToString(problems);
}

TEST_F(ConfigLoaderTest, FragmentsOfOneConfigLiveInAFolderNamedAfterIt) {
    touch("plugins/summary.so");
    write("host.d/summary.yaml", "plugins:\n  - name: summary\n    library: summary\n");
    write("other.d/ignored.yaml", "plugins:\n  - name: other\n    library: missing\n");
    const HostConfig config = load(kValidPlugins);
    ASSERT_EQ(config.plugins.size(), 2u);
    EXPECT_EQ(config.plugins[1].name, "summary");
}

TEST_F(ConfigLoaderTest, InboxRetentionIsReadAndMustNotBeNegative) {
    const std::string databases = "databases:\n  orders:\n    path: o.sqlite3\n    inbox_retention_hours: ";
    EXPECT_EQ(load(std::string(kValidPlugins) + databases + "24\n").databases.at(0).inboxRetentionHours, 24);
    EXPECT_EQ(load(std::string(kValidPlugins) + "databases:\n  orders:\n    path: o.sqlite3\n")
                  .databases.at(0)
                  .inboxRetentionHours,
              168);
    const auto problems = problemsOf(std::string(kValidPlugins) + databases + "-1\n");
    EXPECT_TRUE(hasProblem(problems, 8, 28, "databases.orders.inbox_retention_hours", ""));
}

}  // namespace
}  // namespace micro_order::host
