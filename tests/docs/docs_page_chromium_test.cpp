// The docs page in headless Chromium (Debian's `chromium`): it loads, renders every route of the
// three services from their live documents, and reports no error. Fails when chromium is missing.

#include <cstdlib>

#include "docs/docs_fixture.hpp"
#include "docs/headless_chromium.hpp"

namespace micro_order::testing {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// The text inside <pre id="errors">, where the page records script errors, failed loads and
/// console.error calls. Throws when the element is missing.
std::string recordedErrors(const std::string& dom) {
    const auto open = dom.find("<pre id=\"errors\"");
    if (open == std::string::npos) {
        throw std::runtime_error("no <pre id=\"errors\"> in the page:\n" + dom);
    }
    const auto start = dom.find('>', open) + 1;
    return dom.substr(start, dom.find("</pre>", start) - start);
}

class DocsPageInChromium : public DocsTest {
protected:
    RenderedPage render() {
        RenderedPage page = renderPage(docsUrl());
        EXPECT_EQ(page.exitCode, 0) << page.log;
        // The page marks itself done once every document is rendered or reported unavailable.
        EXPECT_TRUE(contains(page.dom, "<body data-state=\"done\">")) << page.dom;
        EXPECT_EQ(recordedErrors(page.dom), "");
        EXPECT_EQ(consoleLines(page.log), std::vector<std::string>{}) << page.log;
        if (const char* file = std::getenv("MICRO_ORDER_DOCS_SCREENSHOT"); file && *file) {
            screenshotPage(docsUrl(), file);
        }
        return page;
    }
};

TEST_F(DocsPageInChromium, ListsEveryRouteOfTheThreeServicesWithoutErrors) {
    const RenderedPage page = render();
    const std::string text = visibleText(page.dom);

    EXPECT_TRUE(contains(text, "3 of 3 services documented")) << text;
    EXPECT_FALSE(contains(text, "unavailable")) << text;
    for (const auto& route : serviceRoutes()) {
        EXPECT_TRUE(contains(text, route)) << route << " is not on the page:\n" << text;
    }
    // And whatever else the services document, read from them now.
    for (const auto& [name, port] : services()) {
        EXPECT_TRUE(contains(page.dom, "<section class=\"service\" id=\"service-" + name + "\">")) << name;
        for (const auto& route : routesOf(httpRequest(port, "GET", "/openapi.json").body)) {
            EXPECT_TRUE(contains(text, route)) << route << " is not on the page";
        }
    }
    // Parameters, request bodies and responses are rendered too.
    for (const char* shown : {"limit", "offset", "customer", "email", "address", "made_at", "shipped_at",
                              "Request body", "201", "404", "405", "415", "Not found."}) {
        EXPECT_TRUE(contains(text, shown)) << shown;
    }
}

TEST_F(DocsPageInChromium, ShowsAServiceThatIsDownAsUnavailableWithoutErrors) {
    const unsigned short gone = freePortOtherThan({docsPort_, ports_.customers});
    start(yamlHeader() + "databases:\n" + yamlDatabase("customers") + "plugins:\n" +
          "  - name: customers\n    library: customers\n    listen: 127.0.0.1:" + std::to_string(ports_.customers) +
          "\n    database: customers\n" +
          docsInstanceYaml(docsPort_, {{"customers", ports_.customers}, {"orders", gone}}));

    const RenderedPage page = render();
    const std::string text = visibleText(page.dom);

    EXPECT_TRUE(contains(text, "1 of 2 services documented")) << text;
    EXPECT_TRUE(contains(text, "POST /customers/")) << text;
    EXPECT_TRUE(contains(
        text, "orders is unavailable: http://127.0.0.1:" + std::to_string(gone) + "/openapi.json: Connection refused"))
        << text;
}

}  // namespace
}  // namespace micro_order::testing
