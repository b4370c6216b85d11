#include "rest/path_id.hpp"

#include <gtest/gtest.h>

namespace micro_order::rest {
namespace {

Request withId(const std::string& id) {
    Request request;
    request.pathParams["id"] = id;
    return request;
}

TEST(PathId, ReadsAPositiveId) {
    EXPECT_EQ(pathId(withId("1")), 1);
    EXPECT_EQ(pathId(withId("0042")), 42);
    EXPECT_EQ(pathId(withId("9223372036854775807")), 9223372036854775807);
}

TEST(PathId, AnswersNotFoundForAnythingElse) {
    for (const auto* id : {"0", "-1", "abc", "1.0", " 1", "+1", "1x", "", "99999999999999999999"}) {
        try {
            pathId(withId(id));
            ADD_FAILURE() << id;
        } catch (const HttpError& error) {
            EXPECT_EQ(error.status(), 404) << id;
            EXPECT_STREQ(error.what(), "Not found.");
            EXPECT_TRUE(error.body().empty());
        }
    }
}

TEST(PathId, AnswersNotFoundWhenTheParameterIsMissing) { EXPECT_THROW(pathId(Request{}), HttpError); }

}  // namespace
}  // namespace micro_order::rest
