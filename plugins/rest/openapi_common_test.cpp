#include "rest/openapi_common.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "rest/json_body.hpp"
#include "rest/pagination.hpp"
#include "rest/testing/http_test_support.hpp"
#include "rest/testing/openapi_checks.hpp"

namespace micro_order::rest::openapi {
namespace {

using rest::testing::keysOf;

Poco::JSON::Object::Ptr sampleDocument() {
    auto document = newDocument("things", "Things.");
    auto get = operation("things", "getThing", "Get one thing");
    get->set("parameters", idParameters());
    get->set("responses", responses({{"200", jsonResponse("The thing.", schemaRef("Error"))},
                                     {"404", responseRef("NotFound")},
                                     {"405", responseRef("MethodNotAllowed")}}));
    addOperation(*document, "GET", "/things/{id}/", get);
    return document;
}

TEST(OpenApiCommon, NewDocumentIsOpenApi30NamedAfterTheService) {
    const auto document = rest::testing::reparse(*newDocument("things", "Things."));
    EXPECT_EQ(document->getValue<std::string>("openapi"), "3.0.3");
    EXPECT_EQ(document->getObject("info")->getValue<std::string>("title"), "micro-order things");
    EXPECT_FALSE(document->getObject("info")->getValue<std::string>("version").empty());
    EXPECT_EQ(keysOf(*document->getObject("components")->getObject("responses")),
              (std::vector<std::string>{"InvalidBody", "InvalidQuery", "NotFound", "MethodNotAllowed",
                                        "PayloadTooLarge", "UnsupportedMediaType"}));
}

TEST(OpenApiCommon, SharedPartsLeaveNoProblems) {
    EXPECT_EQ(rest::testing::documentProblems(*rest::testing::reparse(*sampleDocument())), std::vector<std::string>{});
}

TEST(OpenApiCommon, LimitParameterHasThePaginationBounds) {
    const auto document = rest::testing::reparse(*newDocument("things", "Things."));
    const auto limit = document->getObject("components")->getObject("parameters")->getObject("Limit");
    EXPECT_EQ(limit->getValue<std::string>("in"), "query");
    const auto schema = limit->getObject("schema");
    EXPECT_EQ(schema->getValue<std::int64_t>("minimum"), 1);
    EXPECT_EQ(schema->getValue<std::int64_t>("maximum"), kMaxLimit);
    EXPECT_EQ(schema->getValue<std::int64_t>("default"), kDefaultLimit);
}

TEST(OpenApiCommon, ListParametersAreLimitOffsetThenTheFilters) {
    const auto parameters = listParameters({queryFilter("status", "Only these.", idSchema())});
    ASSERT_EQ(parameters->size(), 3u);
    EXPECT_EQ(parameters->getObject(0)->getValue<std::string>("$ref"), "#/components/parameters/Limit");
    EXPECT_EQ(parameters->getObject(1)->getValue<std::string>("$ref"), "#/components/parameters/Offset");
    EXPECT_EQ(parameters->getObject(2)->getValue<std::string>("name"), "status");
    EXPECT_FALSE(parameters->getObject(2)->getValue<bool>("required"));
}

TEST(OpenApiCommon, ReportsAPathParameterTheTemplateLacks) {
    auto document = sampleDocument();
    addOperation(*document, "GET", "/other/",
                 document->getObject("paths")->getObject("/things/{id}/")->getObject("get"));
    const auto problems = rest::testing::documentProblems(*rest::testing::reparse(*document));
    EXPECT_NE(std::find(problems.begin(), problems.end(), "GET /other/: path parameters do not match the template"),
              problems.end());
}

TEST(OpenApiCommon, ReportsAnUnresolvedReference) {
    auto document = sampleDocument();
    schemas(*document).set("Broken", schemaRef("Missing"));
    const auto problems = rest::testing::documentProblems(*rest::testing::reparse(*document));
    EXPECT_NE(std::find(problems.begin(), problems.end(), "unresolved $ref #/components/schemas/Missing"),
              problems.end());
}

TEST(OpenApiCommon, OpenApiRouteAnswersTheDocumentAsJson) {
    rest::testing::RecordingRouter router;
    const auto document = sampleDocument();
    addOpenApiRoute(router, *document);
    ASSERT_EQ(router.routes(), std::vector<std::string>{"GET /openapi.json"});

    const auto response = router.call("GET /openapi.json", rest::testing::get("/openapi.json"));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.contentType, "application/json");
    EXPECT_EQ(response.body, toJson(*document));
    const auto served = Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
    EXPECT_TRUE(served->getObject("paths")->has("/things/{id}/"));
}

}  // namespace
}  // namespace micro_order::rest::openapi
