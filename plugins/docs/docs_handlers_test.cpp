#include "docs/docs_handlers.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "docs/docs_page.hpp"

namespace micro_order::docs {
namespace {

DocsConfig twoSources() {
    DocsConfig config;
    config.sources.push_back({"orders", Poco::URI("http://127.0.0.1:8000/openapi.json")});
    config.sources.push_back({"shippings", Poco::URI("http://127.0.0.1:8001/openapi.json")});
    config.timeout = std::chrono::milliseconds(300);
    return config;
}

Request documentRequest(const std::string& file) {
    Request request;
    request.method = "GET";
    request.path = "/openapi/" + file;
    request.pathParams["file"] = file;
    return request;
}

std::string header(const Response& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
        if (key == name) {
            return value;
        }
    }
    return "";
}

class DocsHandlersTest : public ::testing::Test {
protected:
    std::vector<std::string> fetched_;
    DocsHandlers handlers_{twoSources(), [this](const DocsSource& source, std::chrono::milliseconds timeout) {
                               fetched_.push_back(source.url.toString() + " " + std::to_string(timeout.count()));
                               if (source.name == "shippings") {
                                   throw HttpError(502, "shippings: down");
                               }
                               return std::string(R"({"openapi": "3.0.3"})");
                           }};
};

TEST_F(DocsHandlersTest, PageIsTheHtmlPageUnderAContentSecurityPolicy) {
    const auto response = handlers_.page(Request{});
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.contentType, "text/html; charset=utf-8");
    EXPECT_EQ(response.body, docsPage());
    EXPECT_NE(header(response, "Content-Security-Policy").find("connect-src 'self'"), std::string::npos);
    EXPECT_TRUE(fetched_.empty());
}

TEST_F(DocsHandlersTest, NamesListsTheSourcesInConfigOrder) {
    const auto response = handlers_.names(Request{});
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, R"(["orders","shippings"])");
}

TEST_F(DocsHandlersTest, DocumentAnswersWhatTheSourceServesNow) {
    const auto response = handlers_.document(documentRequest("orders.json"));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.contentType, "application/json");
    EXPECT_EQ(response.body, R"({"openapi": "3.0.3"})");
    EXPECT_EQ(header(response, "Cache-Control"), "no-store");
    EXPECT_EQ(fetched_, std::vector<std::string>{"http://127.0.0.1:8000/openapi.json 300"});
}

TEST_F(DocsHandlersTest, DocumentOfAnUnknownNameOrWithoutJsonIsNotFound) {
    for (const char* file : {"customers.json", "orders", ".json", "orders.json.json"}) {
        try {
            handlers_.document(documentRequest(file));
            ADD_FAILURE() << file << " answered";
        } catch (const HttpError& error) {
            EXPECT_EQ(error.status(), 404) << file;
        }
    }
    EXPECT_TRUE(fetched_.empty());
}

TEST_F(DocsHandlersTest, DocumentOfAnUnavailableSourceIsBadGateway) {
    try {
        handlers_.document(documentRequest("shippings.json"));
        ADD_FAILURE() << "answered";
    } catch (const HttpError& error) {
        EXPECT_EQ(error.status(), 502);
        EXPECT_STREQ(error.what(), "shippings: down");
    }
}

class RecordingRouter : public Router {
public:
    void add(const std::string& method, const std::string& pathTemplate, Handler, RouteOptions = {}) override {
        routes.push_back(method + " " + pathTemplate);
    }
    std::vector<std::string> routes;
};

TEST_F(DocsHandlersTest, RegistersThePageTheListAndTheDocuments) {
    RecordingRouter router;
    addDocsRoutes(router, handlers_);
    EXPECT_EQ(router.routes, (std::vector<std::string>{"GET /", "GET /openapi/", "GET /openapi/{file}"}));
}

}  // namespace
}  // namespace micro_order::docs
