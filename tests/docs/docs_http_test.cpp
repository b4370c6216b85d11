// The docs plugin and the services' OpenAPI documents over HTTP, in a real host.

#include <algorithm>

#include "docs/docs_fixture.hpp"

namespace micro_order::testing {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(DocsTest, EveryServiceServesAnOpenApi30DocumentOfItsRoutes) {
    std::vector<std::string> documented;
    for (const auto& [name, port] : services()) {
        SCOPED_TRACE(name);
        const auto result = httpRequest(port, "GET", "/openapi.json");
        ASSERT_EQ(result.status, 200) << result.body;
        EXPECT_EQ(result.contentType, "application/json");
        const auto document = json(result.body);
        EXPECT_EQ(document->getValue<std::string>("openapi").rfind("3.0.", 0), 0u);
        EXPECT_EQ(document->getObject("info")->getValue<std::string>("title"), "micro-order " + name);
        const auto routes = routesOf(result.body);
        documented.insert(documented.end(), routes.begin(), routes.end());
    }
    auto expected = serviceRoutes();
    std::sort(expected.begin(), expected.end());
    std::sort(documented.begin(), documented.end());
    EXPECT_EQ(documented, expected);
}

TEST_F(DocsTest, TheServicesAnswerWhatTheirDocumentsPromise) {
    // A few checks of the documents against the running services: a 404 in the Error shape, a
    // 400 in the ValidationError shape, a 415, a 405 with Allow.
    const auto notFound = httpRequest(ports_.orders, "GET", "/orders/99/");
    EXPECT_EQ(notFound.status, 404);
    EXPECT_EQ(notFound.body, R"({"detail":"Not found."})");
    const auto invalid = httpRequest(ports_.customers, "POST", "/customers/", "{}");
    EXPECT_EQ(invalid.status, 400);
    EXPECT_TRUE(json(invalid.body)->isArray("email")) << invalid.body;
    EXPECT_EQ(httpRequest(ports_.orders, "POST", "/orders/", "customer=1", "text/plain").status, 415);
    const auto notAllowed = httpRequest(ports_.shippings, "POST", "/shippings/", "{}");
    EXPECT_EQ(notAllowed.status, 405);
    EXPECT_EQ(notAllowed.header("Allow"), "GET, HEAD");
}

TEST_F(DocsTest, DocsRootIsTheHtmlPage) {
    const auto result = httpRequest(docsPort_, "GET", "/");
    ASSERT_EQ(result.status, 200);
    EXPECT_EQ(result.contentType.rfind("text/html", 0), 0u) << result.contentType;
    EXPECT_TRUE(contains(result.body, "<pre id=\"errors\" hidden></pre>"));
    EXPECT_TRUE(contains(result.header("Content-Security-Policy"), "connect-src 'self'"));
}

TEST_F(DocsTest, DocsListsTheSourceNamesInConfigOrder) {
    const auto result = httpRequest(docsPort_, "GET", "/openapi/");
    ASSERT_EQ(result.status, 200);
    EXPECT_EQ(result.body, R"(["customers","orders","shippings"])");
}

TEST_F(DocsTest, DocsServesEachServicesDocumentAsTheServiceDoes) {
    for (const auto& [name, port] : services()) {
        SCOPED_TRACE(name);
        const auto viaDocs = httpRequest(docsPort_, "GET", "/openapi/" + name + ".json");
        ASSERT_EQ(viaDocs.status, 200) << viaDocs.body;
        EXPECT_EQ(viaDocs.contentType, "application/json");
        EXPECT_EQ(viaDocs.body, httpRequest(port, "GET", "/openapi.json").body);
    }
}

TEST_F(DocsTest, DocsAnswers404ForADocumentItDoesNotList) {
    for (const char* path : {"/openapi/payments.json", "/openapi/orders", "/openapi/orders.json/x"}) {
        const auto result = httpRequest(docsPort_, "GET", path);
        EXPECT_EQ(result.status, 404) << path;
        EXPECT_EQ(result.body, R"({"detail":"Not found."})") << path;
    }
}

TEST_F(DocsTest, DocsAnswers502WithTheReasonWhenAServiceIsDown) {
    // Only docs this time, with no database: one source answers, one port has nobody.
    const unsigned short gone = freePortOtherThan({docsPort_});
    start(yamlHeader() + "plugins:\n" + docsInstanceYaml(docsPort_, {{"orders", gone}}));

    const auto result = httpRequest(docsPort_, "GET", "/openapi/orders.json");
    EXPECT_EQ(result.status, 502);
    const auto detail = json(result.body)->getValue<std::string>("detail");
    EXPECT_TRUE(contains(detail, "orders: http://127.0.0.1:" + std::to_string(gone) + "/openapi.json: ")) << detail;
    EXPECT_TRUE(contains(detail, "Connection refused")) << detail;
    EXPECT_EQ(httpRequest(docsPort_, "GET", "/").status, 200);
}

}  // namespace
}  // namespace micro_order::testing
