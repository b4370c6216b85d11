#include "http/access_control.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace micro_order::host {
namespace {

class AccessControlTest : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = std::filesystem::temp_directory_path() / ("access-control-" + std::to_string(::getpid()));
        write("# a comment\n\n  alpha-token  \nbeta\n");
    }
    void TearDown() override { std::filesystem::remove(path_); }
    void write(const std::string& text) { std::ofstream(path_) << text; }
    ListenAddress address() const {
        ListenAddress address{"127.0.0.1", 8000, {}};
        address.tokensFile = path_.string();
        return address;
    }
    std::filesystem::path path_;
};

TEST_F(AccessControlTest, TokensFileSkipsCommentsAndBlankLinesAndTrims) {
    EXPECT_EQ(AccessControl::readTokensFile(path_.string()), (std::vector<std::string>{"alpha-token", "beta"}));
}

TEST_F(AccessControlTest, AcceptsOnlyKnownBearerTokens) {
    const AccessControl access(address());
    EXPECT_TRUE(access.tokenAccepted("Bearer alpha-token"));
    EXPECT_TRUE(access.tokenAccepted("bearer beta"));
    EXPECT_FALSE(access.tokenAccepted("Bearer alpha"));
    EXPECT_FALSE(access.tokenAccepted("Bearer alpha-token2"));
    EXPECT_FALSE(access.tokenAccepted("Basic alpha-token"));
    EXPECT_FALSE(access.tokenAccepted(""));
    EXPECT_FALSE(access.tokenAccepted("Bearer "));
    EXPECT_FALSE(access.tokenAccepted("Bearer # a comment"));
}

TEST_F(AccessControlTest, ProbesStayOpenAndMetricsOnlyWhenAsked) {
    ListenAddress settings = address();
    const AccessControl open(settings);
    EXPECT_FALSE(open.needsToken("/healthz"));
    EXPECT_FALSE(open.needsToken("/readyz/"));
    EXPECT_FALSE(open.needsToken("/metrics"));
    EXPECT_TRUE(open.needsToken("/orders/"));
    EXPECT_TRUE(open.needsToken("/"));
    settings.protectMetrics = true;
    EXPECT_TRUE(AccessControl(settings).needsToken("/metrics"));
    EXPECT_FALSE(AccessControl(ListenAddress{"127.0.0.1", 8000, {}}).needsToken("/orders/"));
}

TEST_F(AccessControlTest, ReloadReplacesTokensAndKeepsThemOnError) {
    AccessControl access(address());
    auto& logger = Poco::Logger::get("test");
    write("gamma\n");
    access.reload(logger);
    EXPECT_TRUE(access.tokenAccepted("Bearer gamma"));
    EXPECT_FALSE(access.tokenAccepted("Bearer beta"));
    std::filesystem::remove(path_);
    access.reload(logger);
    EXPECT_TRUE(access.tokenAccepted("Bearer gamma"));
}

TEST_F(AccessControlTest, MissingTokensFileFailsAtStart) {
    std::filesystem::remove(path_);
    EXPECT_THROW(AccessControl{address()}, std::runtime_error);
}

TEST(AccessControlHost, HostNameDropsPortBracketsCaseAndTrailingDot) {
    EXPECT_EQ(AccessControl::hostName("Orders.Example.COM:8443"), "orders.example.com");
    EXPECT_EQ(AccessControl::hostName("[::1]:8000"), "::1");
    EXPECT_EQ(AccessControl::hostName("localhost."), "localhost");
    EXPECT_EQ(AccessControl::hostName("127.0.0.1"), "127.0.0.1");
}

TEST(AccessControlHost, AllowedHostsRefuseOthersAndAMissingHost) {
    ListenAddress settings{"127.0.0.1", 8000, {}};
    settings.allowedHosts = {"localhost", "orders.example.com"};
    const AccessControl access(settings);
    EXPECT_TRUE(access.hostAllowed("LOCALHOST:8000"));
    EXPECT_TRUE(access.hostAllowed("orders.example.com"));
    EXPECT_FALSE(access.hostAllowed("evil.example.com"));
    EXPECT_FALSE(access.hostAllowed("localhost.evil.example.com"));
    EXPECT_FALSE(access.hostAllowed(""));
    EXPECT_TRUE(AccessControl(ListenAddress{"127.0.0.1", 8000, {}}).hostAllowed("anything"));
}

}  // namespace
}  // namespace micro_order::host
