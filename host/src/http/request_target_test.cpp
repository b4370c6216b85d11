#include "http/request_target.hpp"

#include <gtest/gtest.h>

namespace micro_order::host {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

TEST(DecodeRequestTarget, DecodesThePathAndTheQueryInOrder) {
    const auto target = decodeRequestTarget("/things/a%20b/?name=a%20b+c&limit=5&flag&x=%2B");

    ASSERT_TRUE(target);
    EXPECT_EQ(target->path, "/things/a b/");
    EXPECT_EQ(target->query, (Query{{"name", "a b c"}, {"limit", "5"}, {"flag", ""}, {"x", "+"}}));
}

TEST(DecodeRequestTarget, KeepsAPlusInThePath) {
    const auto target = decodeRequestTarget("/a+b/");
    ASSERT_TRUE(target);
    EXPECT_EQ(target->path, "/a+b/");
    EXPECT_TRUE(target->query.empty());
}

TEST(DecodeRequestTarget, SkipsEmptyPairsAndAnEmptyQuery) {
    const auto target = decodeRequestTarget("/orders/?&limit=1&&");
    ASSERT_TRUE(target);
    EXPECT_EQ(target->query, (Query{{"limit", "1"}}));
    EXPECT_TRUE(decodeRequestTarget("/orders/?")->query.empty());
}

TEST(DecodeRequestTarget, RefusesBadPercentEncodingAnywhere) {
    for (const auto* bad : {"/orders/?status=%zz", "/orders/%zz/", "/orders/?%zz=1", "/orders/?status=%",
                            "/orders/?status=%4", "/%g0/"}) {
        EXPECT_FALSE(decodeRequestTarget(bad)) << bad;
    }
}

TEST(DecodeRequestTarget, TakesThePathOfAnAbsoluteFormTarget) {
    const auto target = decodeRequestTarget("http://orders.example.com:8000/orders/7/?a=1");
    ASSERT_TRUE(target);
    EXPECT_EQ(target->path, "/orders/7/");
    EXPECT_EQ(target->query, (Query{{"a", "1"}}));
    EXPECT_EQ(decodeRequestTarget("http://orders.example.com")->path, "/");
    EXPECT_EQ(decodeRequestTarget("http://orders.example.com?a=1")->query, (Query{{"a", "1"}}));
}

TEST(DecodeRequestTarget, RefusesWhatIsNeitherOriginNorAbsoluteForm) {
    for (const auto* bad : {"", "orders/", "*", "://x/", "example.com:80"}) {
        EXPECT_FALSE(decodeRequestTarget(bad)) << bad;
    }
}

TEST(DecodeRequestTarget, DropsAFragment) {
    const auto target = decodeRequestTarget("/orders/?a=1#top");
    ASSERT_TRUE(target);
    EXPECT_EQ(target->query, (Query{{"a", "1"}}));
}

}  // namespace
}  // namespace micro_order::host
