#include "docs/docs_page.hpp"

#include <gtest/gtest.h>

#include <string>

namespace micro_order::docs {
namespace {

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

TEST(DocsPage, IsOneHtmlDocumentWithAnEmptyErrorsBox) {
    const auto page = docsPage();
    EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_TRUE(contains(page, "<pre id=\"errors\" hidden></pre>"));
    EXPECT_TRUE(page.ends_with("</html>\n"));
}

TEST(DocsPage, LoadsNothingFromAnotherOrigin) {
    const auto page = docsPage();
    for (const char* outside : {"http:", "https:", "src=", "@import", "url(", "\"//", "'//"}) {
        EXPECT_FALSE(contains(page, outside)) << outside;
    }
    // No favicon request either: the browser would log its 404.
    EXPECT_TRUE(contains(page, "<link rel=\"icon\" href=\"data:,\">"));
}

TEST(DocsPage, FetchesTheListAndTheDocumentsFromItsOwnOrigin) {
    const auto page = docsPage();
    EXPECT_TRUE(contains(page, "getJson('/openapi/')"));
    EXPECT_TRUE(contains(page, "getJson('/openapi/' + encodeURIComponent(service) + '.json')"));
    EXPECT_FALSE(contains(page, "innerHTML"));
}

}  // namespace
}  // namespace micro_order::docs
