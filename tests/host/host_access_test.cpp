// Listener access control end to end (issue 14, point 5): bearer tokens from a file, reloaded on
// SIGHUP, and allowed_hosts, on the real host over loopback.
#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>
#include <memory>
#include <string>

#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

class HostAccess : public ::testing::Test {
protected:
    void start(const std::string& auth, const std::string& extra = "") {
        port_ = freePort();
        writeFile(dir_.file("tokens.txt"), "# who may call\nfirst-token-0123456789\n\nsecond-token\n");
        host_ = std::make_unique<HostProcess>(yamlHeader() +
                                                  "plugins:\n"
                                                  "  - name: echo\n"
                                                  "    library: test_echo\n"
                                                  "    listen:\n"
                                                  "      address: 127.0.0.1:" +
                                                  std::to_string(port_) + "\n" + auth + extra,
                                              dir_.path());
        host_->waitUntilReady();
    }

    void TearDown() override {
        if (HasFailure() && host_) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end of host log ---\n";
        }
    }

    HttpResult get(const std::string& path, const std::map<std::string, std::string>& headers = {}) {
        HttpClient client(port_);
        return client.request("GET", path, "", "application/json", headers);
    }
    static std::map<std::string, std::string> bearer(const std::string& token) {
        return {{"Authorization", "Bearer " + token}};
    }

    static constexpr const char* kAuth = "      auth: {tokens_file: tokens.txt}\n";
    TempDir dir_{"access"};
    unsigned short port_ = 0;
    std::unique_ptr<HostProcess> host_;
};

TEST_F(HostAccess, RequestWithoutTokenGets401WithChallenge) {
    start(kAuth);
    const HttpResult result = get("/things/1/");
    EXPECT_EQ(result.status, 401);
    EXPECT_EQ(result.header("WWW-Authenticate"), R"(Bearer realm="micro-order")");
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_FALSE(json(result.body)->getValue<std::string>("detail").empty());
}

TEST_F(HostAccess, WrongTokenGets401AndRightTokensGet200) {
    start(kAuth);
    EXPECT_EQ(get("/things/1/", bearer("first-token")).status, 401);
    EXPECT_EQ(get("/things/1/", bearer("first-token-01234567890")).status, 401);
    EXPECT_EQ(get("/things/1/", {{"Authorization", "Basic Zmlyc3QtdG9rZW4tMDEyMzQ1Njc4OQ=="}}).status, 401);
    const HttpResult first = get("/things/1/", bearer("first-token-0123456789"));
    EXPECT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(json(first.body)->getValue<std::string>("id"), "1");
    EXPECT_EQ(get("/things/2", bearer("second-token")).status, 200);
}

TEST_F(HostAccess, ProbesStayOpenAndMetricsIsOpenByDefault) {
    start(kAuth);
    EXPECT_EQ(get("/healthz").status, 200);
    EXPECT_EQ(get("/readyz").status, 200);
    const HttpResult metrics = get("/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find(R"(micro_order_http_requests_rejected_total{instance="echo",reason="unauthorized"})"),
              std::string::npos);
}

TEST_F(HostAccess, ProtectedMetricsNeedAToken) {
    start("      auth: {tokens_file: tokens.txt, protect_metrics: true}\n");
    EXPECT_EQ(get("/metrics").status, 401);
    EXPECT_EQ(get("/metrics", bearer("second-token")).status, 200);
    EXPECT_EQ(get("/healthz").status, 200);
}

TEST_F(HostAccess, SighupReloadsTheTokensFile) {
    start(kAuth);
    ASSERT_EQ(get("/things/1/", bearer("second-token")).status, 200);
    writeFile(dir_.file("tokens.txt"), "third-token\n");
    ::kill(host_->pid(), SIGHUP);
    ASSERT_TRUE(host_->waitForLog("tokens reloaded from")) << host_->log();
    EXPECT_EQ(get("/things/1/", bearer("third-token")).status, 200);
    EXPECT_EQ(get("/things/1/", bearer("second-token")).status, 401);
    EXPECT_EQ(get("/things/1/", bearer("first-token-0123456789")).status, 401);
}

TEST_F(HostAccess, ForeignHostGets421AndListedHostsAreServed) {
    start("", "      allowed_hosts: [localhost, 127.0.0.1]\n");
    const HttpResult foreign = get("/things/1/", {{"Host", "attacker.example:" + std::to_string(port_)}});
    EXPECT_EQ(foreign.status, 421);
    EXPECT_FALSE(json(foreign.body)->getValue<std::string>("detail").empty());
    EXPECT_EQ(get("/things/1/", {{"Host", "LocalHost:" + std::to_string(port_)}}).status, 200);
    EXPECT_EQ(get("/things/1/").status, 200);  // Poco sends Host: 127.0.0.1:port
}

TEST_F(HostAccess, DocsPluginFetchesAProtectedDocumentWithItsTokenFile) {
    writeFile(dir_.file("docs.token"), "# the docs page's token\nsecond-token\n");
    const unsigned short docsPort = freePort();
    const auto source = [&](const std::string& name, const std::string& tokenLine) {
        return "        - name: " + name + "\n          url: http://127.0.0.1:" + std::to_string(port_) +
               "/things/doc\n" + tokenLine;
    };
    // port_ is chosen by start(): pick it first so the docs instance can name it.
    port_ = freePort();
    writeFile(dir_.file("tokens.txt"), "second-token\n");
    host_ = std::make_unique<HostProcess>(
        yamlHeader() +
            "plugins:\n"
            "  - name: echo\n"
            "    library: test_echo\n"
            "    listen:\n"
            "      address: 127.0.0.1:" +
            std::to_string(port_) + "\n" + kAuth +
            "  - name: docs\n"
            "    library: docs\n"
            "    listen: 127.0.0.1:" +
            std::to_string(docsPort) +
            "\n"
            "    config:\n"
            "      sources:\n" +
            source("with", "          token_file: " + dir_.file("docs.token") + "\n") + source("without", ""),
        dir_.path());
    host_->waitUntilReady();
    const HttpResult with = httpRequest(docsPort, "GET", "/openapi/with.json");
    EXPECT_EQ(with.status, 200) << with.body;
    EXPECT_EQ(json(with.body)->getValue<std::string>("id"), "doc");
    const HttpResult without = httpRequest(docsPort, "GET", "/openapi/without.json");
    EXPECT_EQ(without.status, 502) << without.body;
    EXPECT_NE(without.body.find("401"), std::string::npos) << without.body;
}

TEST_F(HostAccess, MissingTokensFileStopsTheStart) {
    port_ = freePort();
    HostProcess host(yamlHeader() +
                         "plugins:\n"
                         "  - name: echo\n"
                         "    library: test_echo\n"
                         "    listen:\n"
                         "      address: 127.0.0.1:" +
                         std::to_string(port_) +
                         "\n"
                         "      auth: {tokens_file: missing-tokens.txt}\n",
                     dir_.path());
    EXPECT_NE(host.wait(), 0);
    EXPECT_NE(host.log().find("cannot read tokens file"), std::string::npos) << host.log();
}

}  // namespace
}  // namespace micro_order::testing
