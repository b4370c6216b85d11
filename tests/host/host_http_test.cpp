// The host's HTTP side, end to end: routing, error bodies, limits, keep-alive, concurrency.
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

constexpr std::size_t kMaxBodyBytes = 4096;

class HostHttp : public ::testing::Test {
protected:
    void SetUp() override {
        port_ = freePort();
        host_ = std::make_unique<HostProcess>(yamlHeader() +
                                              "http:\n"
                                              "  worker_threads: 16\n"
                                              "  max_body_bytes: " +
                                              std::to_string(kMaxBodyBytes) +
                                              "\n"
                                              "plugins:\n"
                                              "  - name: echo\n"
                                              "    library: test_echo\n"
                                              "    listen: 127.0.0.1:" +
                                              std::to_string(port_) + "\n");
        host_->waitUntilReady();
    }

    void TearDown() override {
        EXPECT_EQ(host_->log().find("[ERRFMT]"), std::string::npos) << "a log line has a bad format";
        if (HasFailure()) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end of host log ---\n";
        }
    }

    HttpResult request(const std::string& method, const std::string& path, const std::string& body = "") {
        return httpRequest(port_, method, path, body);
    }

    unsigned short port_ = 0;
    std::unique_ptr<HostProcess> host_;
};

TEST_F(HostHttp, PathParameterIsRoutedWithTrailingSlash) {
    const HttpResult result = request("GET", "/things/abc/");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(json(result.body)->getValue<std::string>("id"), "abc");
    EXPECT_EQ(json(result.body)->getValue<std::string>("path"), "/things/abc/");
}

TEST_F(HostHttp, PathParameterIsRoutedWithoutTrailingSlash) {
    const HttpResult result = request("GET", "/things/abc");

    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(json(result.body)->getValue<std::string>("id"), "abc");
}

TEST_F(HostHttp, QueryStringIsDecodedForTheHandler) {
    const HttpResult result = request("GET", "/things/1/?name=a%20b&limit=5");

    ASSERT_EQ(result.status, 200) << result.body;
    const auto query = json(result.body)->getObject("query");
    EXPECT_EQ(query->getValue<std::string>("name"), "a b");
    EXPECT_EQ(query->getValue<std::string>("limit"), "5");
}

TEST_F(HostHttp, PostBodyReachesTheHandler) {
    const HttpResult result = request("POST", "/things/", R"({"hello":"world"})");

    EXPECT_EQ(result.status, 201);
    EXPECT_EQ(result.body, R"({"hello":"world"})");
    EXPECT_EQ(result.contentType, "application/json");
}

TEST_F(HostHttp, UnknownPathIs404WithJsonDetail) {
    const HttpResult result = request("GET", "/nowhere/");

    EXPECT_EQ(result.status, 404);
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_EQ(json(result.body)->getValue<std::string>("detail"), "Not found.");
}

TEST_F(HostHttp, WrongMethodIs405WithAllowAndJsonDetail) {
    const HttpResult result = request("DELETE", "/things/1/");

    EXPECT_EQ(result.status, 405);
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_EQ(result.header("Allow"), "GET, HEAD");
    EXPECT_TRUE(json(result.body)->has("detail")) << result.body;
}

TEST_F(HostHttp, BodyOverMaxBodyBytesIs413) {
    const HttpResult result = request("POST", "/things/", std::string(kMaxBodyBytes + 1, 'x'));

    EXPECT_EQ(result.status, 413);
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_TRUE(json(result.body)->has("detail")) << result.body;
}

TEST_F(HostHttp, BodyFarOverMaxBodyBytesIs413) {
    const HttpResult result = request("POST", "/things/", std::string(1 << 20, 'x'));

    EXPECT_EQ(result.status, 413);
}

TEST_F(HostHttp, BodyOfExactlyMaxBodyBytesIsAccepted) {
    const std::string body(kMaxBodyBytes, 'x');
    const HttpResult result = HttpClient(port_).request("POST", "/things/", body, "text/plain");

    EXPECT_EQ(result.status, 201);
    EXPECT_EQ(result.body, body);
}

TEST_F(HostHttp, ChunkedBodyOverMaxBodyBytesIs413) {
    HttpClient client(port_);
    Poco::Net::HTTPRequest request("POST", "/things/", Poco::Net::HTTPMessage::HTTP_1_1);
    request.setChunkedTransferEncoding(true);
    request.setContentType("text/plain");
    client.session().sendRequest(request) << std::string(kMaxBodyBytes * 2, 'x');
    Poco::Net::HTTPResponse response;
    client.session().receiveResponse(response);

    EXPECT_EQ(response.getStatus(), 413);
}

TEST_F(HostHttp, KeepAliveServesSeveralRequestsOnOneConnection) {
    HttpClient client(port_);
    const HttpResult first = client.get("/things/0/");
    ASSERT_EQ(first.status, 200);
    const unsigned short localPort = client.localPort();

    for (int i = 1; i < 10; ++i) {
        const HttpResult result = client.get("/things/" + std::to_string(i) + "/");
        ASSERT_EQ(result.status, 200);
        EXPECT_EQ(json(result.body)->getValue<std::string>("id"), std::to_string(i));
        EXPECT_EQ(client.localPort(), localPort) << "request " << i << " used a new connection";
    }
    EXPECT_EQ(first.header("Connection"), "Keep-Alive");
}

TEST_F(HostHttp, HandlerExceptionIs500WithoutInternalsButLogged) {
    const HttpResult result = request("GET", "/boom/");

    EXPECT_EQ(result.status, 500);
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_TRUE(json(result.body)->has("detail")) << result.body;
    EXPECT_EQ(result.body.find("secret internals"), std::string::npos) << result.body;
    EXPECT_TRUE(host_->waitForLog("secret internals", std::chrono::seconds(2))) << host_->log();
}

TEST_F(HostHttp, TypedHttpErrorKeepsItsStatusAndDetail) {
    const HttpResult result = request("GET", "/teapot/");

    EXPECT_EQ(result.status, 418);
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_EQ(json(result.body)->getValue<std::string>("detail"), "short and stout");
}

TEST_F(HostHttp, SixteenClientsMakingFiftyRequestsEachAllSucceed) {
    constexpr int kThreads = 16;
    constexpr int kRequests = 50;
    std::atomic<int> ok{0};
    std::vector<std::string> failures(kThreads);
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                try {
                    HttpClient client(port_);
                    for (int i = 0; i < kRequests; ++i) {
                        const std::string id = std::to_string(t) + "-" + std::to_string(i);
                        const HttpResult result = client.get("/things/" + id + "/?n=" + id);
                        if (result.status != 200 || json(result.body)->getValue<std::string>("id") != id ||
                            json(result.body)->getObject("query")->getValue<std::string>("n") != id) {
                            failures[t] = std::to_string(result.status) + " " + result.body;
                            return;
                        }
                        ++ok;
                    }
                } catch (const std::exception& error) {
                    failures[t] = error.what();
                }
            });
        }
    }
    for (int t = 0; t < kThreads; ++t) {
        EXPECT_EQ(failures[t], "") << "client " << t;
    }
    EXPECT_EQ(ok.load(), kThreads * kRequests);
}

}  // namespace
}  // namespace micro_order::testing
