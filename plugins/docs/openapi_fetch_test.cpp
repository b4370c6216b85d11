#include "docs/openapi_fetch.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <micro_order/http.hpp>
#include <thread>

namespace micro_order::docs {
namespace {

struct Answer {
    int status = 200;
    std::string body;
    std::chrono::milliseconds delay{0};
};

// A one-answer HTTP server on a loopback port, standing in for a service. Its connections run on
// a thread pool of its own, joined on destruction: stopAll() does not wait for a handler still
// running (the slow one sleeps past its test), which would then use this object once it is gone.
class FakeService {
public:
    explicit FakeService(Answer answer) : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(std::move(answer), paths_), threads_, socket_,
                                                          new Poco::Net::HTTPServerParams);
        server_->start();
    }
    ~FakeService() {
        server_->stopAll(true);
        threads_.joinAll();
    }

    DocsSource source() const {
        return {"orders",
                Poco::URI("http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/openapi.json?x=1")};
    }
    const std::vector<std::string>& paths() const { return paths_; }

private:
    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        Handler(const Answer& answer, std::vector<std::string>& paths) : answer_(answer), paths_(paths) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
            paths_.push_back(request.getURI());
            if (request.has("Authorization")) {
                paths_.push_back("Authorization: " + request.get("Authorization"));
            }
            std::this_thread::sleep_for(answer_.delay);
            response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer_.status));
            response.setContentType("application/json");
            response.send() << answer_.body;
        }

    private:
        const Answer& answer_;
        std::vector<std::string>& paths_;
    };
    class Factory : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        Factory(Answer answer, std::vector<std::string>& paths) : answer_(std::move(answer)), paths_(paths) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Handler(answer_, paths_);
        }

    private:
        Answer answer_;
        std::vector<std::string>& paths_;
    };

    std::vector<std::string> paths_;
    Poco::Net::ServerSocket socket_;
    Poco::ThreadPool threads_{1, 4};
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

constexpr std::chrono::milliseconds kTimeout{1000};

HttpError errorOf(const DocsSource& source, std::chrono::milliseconds timeout = kTimeout) {
    try {
        fetchOpenApi(source, timeout);
    } catch (const HttpError& error) {
        return error;
    }
    return HttpError(0, "fetched");
}

TEST(OpenApiFetch, ReturnsTheDocumentAsServed) {
    FakeService service({200, R"({"openapi": "3.0.3", "paths": {}})"});
    EXPECT_EQ(fetchOpenApi(service.source(), kTimeout), R"({"openapi": "3.0.3", "paths": {}})");
    EXPECT_EQ(service.paths(), std::vector<std::string>{"/openapi.json?x=1"});
}

TEST(OpenApiFetch, SendsTheBearerTokenOfItsTokenFile) {
    FakeService service({200, "{}"});
    DocsSource source = service.source();
    source.tokenFile = ::testing::TempDir() + "docs-token-" + std::to_string(::getpid());
    std::ofstream(source.tokenFile) << "# for the docs page\n\n  s3cret-token  \nsecond\n";
    fetchOpenApi(source, kTimeout);
    std::remove(source.tokenFile.c_str());
    EXPECT_EQ(service.paths(), (std::vector<std::string>{"/openapi.json?x=1", "Authorization: Bearer s3cret-token"}));
    const auto missing = errorOf(source);  // the file is gone: no request without the token
    EXPECT_EQ(missing.status(), 502);
    EXPECT_NE(std::string(missing.what()).find("token_file"), std::string::npos) << missing.what();
    EXPECT_EQ(service.paths().size(), 2u);
}

TEST(OpenApiFetch, AnotherStatusIsBadGatewayNamingIt) {
    FakeService service({503, R"({"detail": "draining"})"});
    const auto error = errorOf(service.source());
    EXPECT_EQ(error.status(), 502);
    EXPECT_EQ(std::string(error.what()),
              "orders: " + service.source().url.toString() + ": answered 503 Service Unavailable");
}

TEST(OpenApiFetch, ABodyThatIsNotAJsonObjectIsBadGateway) {
    for (const char* body : {"<html></html>", "[1, 2]"}) {
        FakeService service({200, body});
        const auto error = errorOf(service.source());
        EXPECT_EQ(error.status(), 502) << body;
        EXPECT_NE(std::string(error.what()).find("the document is not"), std::string::npos) << error.what();
    }
}

TEST(OpenApiFetch, NobodyListeningIsBadGateway) {
    DocsSource source;
    {
        FakeService gone({200, "{}"});
        source = gone.source();
    }
    const auto error = errorOf(source);
    EXPECT_EQ(error.status(), 502);
    EXPECT_NE(std::string(error.what()).find("Connection refused"), std::string::npos) << error.what();
}

TEST(OpenApiFetch, ASlowServiceTimesOutAsBadGateway) {
    FakeService service({200, "{}", std::chrono::milliseconds(1500)});
    const auto began = std::chrono::steady_clock::now();
    const auto error = errorOf(service.source(), std::chrono::milliseconds(200));
    EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::milliseconds(1200));
    EXPECT_EQ(error.status(), 502);
    EXPECT_NE(std::string(error.what()).find("no answer within 200 ms"), std::string::npos) << error.what();
}

}  // namespace
}  // namespace micro_order::docs
