#include "docs/docs_config.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

namespace micro_order::docs {
namespace {

// The flattened keys the host hands a plugin for its `config:` subtree.
Poco::AutoPtr<Poco::Util::MapConfiguration> configOf(const std::map<std::string, std::string>& keys) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
    for (const auto& [key, value] : keys) {
        config->setString(key, value);
    }
    return config;
}

std::string errorOf(const std::map<std::string, std::string>& keys) {
    try {
        readDocsConfig(*configOf(keys));
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "";
}

TEST(DocsConfig, ReadsTheSourcesInTheirOrder) {
    const auto config = readDocsConfig(*configOf({
        {"sources[0].name", "orders"},
        {"sources[0].url", "http://127.0.0.1:8000/openapi.json"},
        {"sources[1].name", "shippings"},
        {"sources[1].url", "http://localhost:8001/openapi.json"},
    }));
    ASSERT_EQ(config.sources.size(), 2u);
    EXPECT_EQ(config.sources[0].name, "orders");
    EXPECT_EQ(config.sources[0].url.getPort(), 8000);
    EXPECT_EQ(config.sources[0].url.getPath(), "/openapi.json");
    EXPECT_EQ(config.sources[1].name, "shippings");
    EXPECT_EQ(config.sources[1].url.getHost(), "localhost");
    EXPECT_EQ(config.timeout, std::chrono::milliseconds(2000));
    EXPECT_EQ(findSource(config, "shippings"), &config.sources[1]);
    EXPECT_EQ(findSource(config, "customers"), nullptr);
}

TEST(DocsConfig, ReadsTheTimeout) {
    const auto config = readDocsConfig(
        *configOf({{"sources[0].name", "a"}, {"sources[0].url", "http://h:1/x"}, {"timeout_ms", "250"}}));
    EXPECT_EQ(config.timeout, std::chrono::milliseconds(250));
}

TEST(DocsConfig, ReadsATokenFilePerSource) {
    const auto config = readDocsConfig(*configOf({{"sources[0].name", "a"},
                                                  {"sources[0].url", "http://h:1/x"},
                                                  {"sources[0].token_file", "/etc/micro-order/docs.token"},
                                                  {"sources[1].name", "b"},
                                                  {"sources[1].url", "http://h:2/x"}}));
    EXPECT_EQ(config.sources[0].tokenFile, "/etc/micro-order/docs.token");
    EXPECT_EQ(config.sources[1].tokenFile, "");
    EXPECT_EQ(errorOf({{"sources[0].name", "a"}, {"sources[0].url", "http://h:1/x"}, {"sources[0].token_file", "t"}}),
              "config.sources[0].token_file: 't' is not an absolute path");
}

TEST(DocsConfig, RejectsAConfigWithoutSources) {
    EXPECT_EQ(errorOf({}), "config.sources: list at least one {name, url}");
}

TEST(DocsConfig, RejectsARepeatedName) {
    EXPECT_EQ(errorOf({{"sources[0].name", "a"},
                       {"sources[0].url", "http://h:1/x"},
                       {"sources[1].name", "a"},
                       {"sources[1].url", "http://h:2/x"}}),
              "config.sources[1].name: 'a' is listed twice");
}

TEST(DocsConfig, RejectsAUrlThatIsNotHttp) {
    EXPECT_EQ(errorOf({{"sources[0].name", "a"}, {"sources[0].url", "https://h:1/x"}}),
              "config.sources[0].url: 'https://h:1/x' is not an http://host:port/path URL");
}

TEST(DocsConfig, RejectsAMissingUrlAndABadName) {
    EXPECT_EQ(errorOf({{"sources[0].name", "a"}}), "config.sources[0].url: missing");
    EXPECT_EQ(errorOf({{"sources[0].name", "a b"}, {"sources[0].url", "http://h:1/x"}}),
              "config.sources[0].name: 'a b' is not a name (letters, digits, _ . -)");
}

TEST(DocsConfig, RejectsUnknownKeys) {
    EXPECT_EQ(errorOf({{"source", "x"}}), "config.source: unknown key (sources, timeout_ms and status are)");
    EXPECT_EQ(errorOf({{"sources[0].name", "a"}, {"sources[0].url", "http://h:1/x"}, {"sources[0].port", "1"}}),
              "config.sources[0].port: unknown key (a source has a name, a url and maybe a token_file)");
    EXPECT_EQ(errorOf({{"sources[0]", "orders"}}), "config.sources[0]: must be a {name, url} map");
}

TEST(DocsConfig, RejectsATimeoutOutOfRange) {
    EXPECT_EQ(errorOf({{"sources[0].name", "a"}, {"sources[0].url", "http://h:1/x"}, {"timeout_ms", "0"}}),
              "config.timeout_ms: '0' is not a number of milliseconds from 1 to 60000");
}

}  // namespace
}  // namespace micro_order::docs
