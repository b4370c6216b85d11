#include "rest/pagination.hpp"

#include <gtest/gtest.h>

#include "rest/json_writer.hpp"

namespace micro_order::rest {
namespace {

Request listRequest(std::vector<std::pair<std::string, std::string>> query, std::string path = "/orders/") {
    Request request;
    request.method = "GET";
    request.path = std::move(path);
    request.query = std::move(query);
    return request;
}

void render(std::string& out, int value) { JsonObjectWriter(out).field("id", value).end(); }

TEST(ReadPageRequest, DefaultsToTheFirstHundredRows) {
    ValidationErrors errors;
    const auto page = readPageRequest(listRequest({}), errors);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(page.limit, 100);
    EXPECT_EQ(page.offset, 0);
    EXPECT_EQ(page.fetchLimit(), 101);
}

TEST(ReadPageRequest, ReadsLimitAndOffset) {
    ValidationErrors errors;
    const auto page = readPageRequest(listRequest({{"limit", "1000"}, {"offset", "2500"}}), errors);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(page.limit, 1000);
    EXPECT_EQ(page.offset, 2500);
}

TEST(ReadPageRequest, RejectsLimitsOutsideOneToThousand) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"0", "Ensure this value is greater than or equal to 1."},
        {"-5", "Ensure this value is greater than or equal to 1."},
        {"1001", "Ensure this value is less than or equal to 1000."},
        {"abc", "A valid integer is required."},
        {"", "A valid integer is required."},
        {"1.5", "A valid integer is required."},
        {"99999999999999999999", "A valid integer is required."},
    };
    for (const auto& [value, message] : cases) {
        ValidationErrors errors;
        readPageRequest(listRequest({{"limit", value}}), errors);
        EXPECT_EQ(errors.toJson(), R"({"limit":[")" + message + "\"]}") << value;
    }
}

TEST(ReadPageRequest, RejectsNegativeOrNonIntegerOffsets) {
    ValidationErrors negative;
    readPageRequest(listRequest({{"offset", "-1"}}), negative);
    EXPECT_EQ(negative.toJson(), R"({"offset":["Ensure this value is greater than or equal to 0."]})");
    ValidationErrors text;
    readPageRequest(listRequest({{"offset", "x"}}), text);
    EXPECT_EQ(text.toJson(), R"({"offset":["A valid integer is required."]})");
}

TEST(ReadPageRequest, ReportsBothParametersAtOnce) {
    ValidationErrors errors;
    readPageRequest(listRequest({{"offset", "-1"}, {"limit", "0"}}), errors);
    EXPECT_EQ(errors.toJson(), R"({"limit":["Ensure this value is greater than or equal to 1."],)"
                               R"("offset":["Ensure this value is greater than or equal to 0."]})");
}

TEST(KeptParams, KeepsNamedNonEmptyParametersInTheGivenOrder) {
    const auto request = listRequest({{"customer", "3"}, {"status", ""}, {"other", "x"}, {"order", "1"}});
    EXPECT_EQ(keptParams(request, {"status", "order", "customer"}), (QueryParams{{"order", "1"}, {"customer", "3"}}));
}

TEST(NextPageUrl, AdvancesTheOffsetByTheLimit) {
    EXPECT_EQ(nextPageUrl(listRequest({}), PageRequest{}, {}), "/orders/?limit=100&offset=100");
    EXPECT_EQ(nextPageUrl(listRequest({}), PageRequest{.limit = 2, .offset = 5}, {}), "/orders/?limit=2&offset=7");
}

TEST(NextPageUrl, KeepsFiltersWithParametersSortedByName) {
    EXPECT_EQ(
        nextPageUrl(listRequest({}), PageRequest{.limit = 10, .offset = 0}, {{"status", "SHIPPED"}, {"customer", "4"}}),
        "/orders/?customer=4&limit=10&offset=10&status=SHIPPED");
}

TEST(NextPageUrl, EncodesValuesAndKeepsThePathAsSent) {
    EXPECT_EQ(nextPageUrl(listRequest({}, "/orders"), PageRequest{.limit = 1, .offset = 0}, {{"q", "a b&c=d/é"}}),
              "/orders?limit=1&offset=1&q=a%20b%26c%3Dd%2F%C3%A9");
}

TEST(NextPageUrl, IsRelativeWithoutAPublicUrl) {
    EXPECT_EQ(nextPageUrl(listRequest({}), PageRequest{.limit = 1, .offset = 0}, {}), "/orders/?limit=1&offset=1");
}

TEST(NextPageUrl, PrefixesTheConfiguredPublicUrl) {
    auto request = listRequest({});
    request.baseUrl = "https://orders.example.com/api";
    EXPECT_EQ(nextPageUrl(request, PageRequest{.limit = 1, .offset = 0}, {}),
              "https://orders.example.com/api/orders/?limit=1&offset=1");
}

TEST(PageResponse, RendersAPageWithoutLinkWhenNoMoreRows) {
    const auto response =
        pageResponse(listRequest({}), PageRequest{.limit = 3, .offset = 0}, {}, std::vector<int>{1, 2, 3}, render);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.contentType, "application/json");
    EXPECT_EQ(response.body, R"([{"id":1},{"id":2},{"id":3}])");
    EXPECT_TRUE(response.headers.empty());
}

TEST(PageResponse, DropsTheExtraRowAndLinksTheNextPage) {
    const auto response = pageResponse(listRequest({{"status", "SHIPPED"}}), PageRequest{.limit = 2, .offset = 4},
                                       {{"status", "SHIPPED"}}, std::vector<int>{5, 6, 7}, render);
    EXPECT_EQ(response.body, R"([{"id":5},{"id":6}])");
    ASSERT_EQ(response.headers.size(), 1u);
    EXPECT_EQ(response.headers[0].first, "Link");
    EXPECT_EQ(response.headers[0].second, R"(</orders/?limit=2&offset=6&status=SHIPPED>; rel="next")");
}

TEST(PageResponse, RendersAnEmptyArray) {
    const auto response = pageResponse(listRequest({}), PageRequest{}, {}, std::vector<int>{}, render);
    EXPECT_EQ(response.body, "[]");
    EXPECT_TRUE(response.headers.empty());
}

}  // namespace
}  // namespace micro_order::rest
