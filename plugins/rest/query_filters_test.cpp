#include "rest/query_filters.hpp"

#include <gtest/gtest.h>

#include <array>

namespace micro_order::rest {
namespace {

Request queryRequest(std::vector<std::pair<std::string, std::string>> query) {
    Request request;
    request.query = std::move(query);
    return request;
}

constexpr std::array<std::string_view, 3> kStatuses{"PROCESSING", "SHIPPED", "CANCELLED"};

TEST(ReadIdFilter, IsAbsentWhenMissingOrEmpty) {
    ValidationErrors errors;
    EXPECT_FALSE(readIdFilter(queryRequest({}), "customer", errors));
    EXPECT_FALSE(readIdFilter(queryRequest({{"customer", ""}}), "customer", errors));
    EXPECT_TRUE(errors.empty());
}

TEST(ReadIdFilter, ReadsAPositiveId) {
    ValidationErrors errors;
    EXPECT_EQ(readIdFilter(queryRequest({{"customer", "12"}}), "customer", errors), 12);
    EXPECT_TRUE(errors.empty());
}

TEST(ReadIdFilter, UsesTheFirstValueOfARepeatedParameter) {
    ValidationErrors errors;
    EXPECT_EQ(readIdFilter(queryRequest({{"order", "3"}, {"order", "x"}}), "order", errors), 3);
    EXPECT_TRUE(errors.empty());
}

TEST(ReadIdFilter, NamesTheParameterOfABadValue) {
    ValidationErrors text;
    EXPECT_FALSE(readIdFilter(queryRequest({{"order", "one"}}), "order", text));
    EXPECT_EQ(text.toJson(), R"({"order":["A valid integer is required."]})");
    ValidationErrors zero;
    EXPECT_FALSE(readIdFilter(queryRequest({{"customer", "0"}}), "customer", zero));
    EXPECT_EQ(zero.toJson(), R"({"customer":["Ensure this value is greater than or equal to 1."]})");
}

TEST(ReadChoiceFilter, AcceptsAChoice) {
    ValidationErrors errors;
    EXPECT_EQ(readChoiceFilter(queryRequest({{"status", "SHIPPED"}}), "status", kStatuses, errors), "SHIPPED");
    EXPECT_FALSE(readChoiceFilter(queryRequest({{"status", ""}}), "status", kStatuses, errors));
    EXPECT_FALSE(readChoiceFilter(queryRequest({}), "status", kStatuses, errors));
    EXPECT_TRUE(errors.empty());
}

TEST(ReadChoiceFilter, RejectsOtherValuesIncludingOtherCase) {
    for (const auto* value : {"shipped", "DONE", "1"}) {
        ValidationErrors errors;
        EXPECT_FALSE(readChoiceFilter(queryRequest({{"status", value}}), "status", kStatuses, errors));
        EXPECT_EQ(errors.toJson(), std::string(R"({"status":["Select a valid choice. )") + value +
                                       R"( is not one of the available choices."]})");
    }
}

}  // namespace
}  // namespace micro_order::rest
