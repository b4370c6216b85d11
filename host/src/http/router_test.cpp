#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace micro_order::host {
namespace {

Handler answer(const std::string& text) {
    return [text](const Request&) { return Response::json(200, text); };
}

std::string call(const HttpRouter::Match& match) { return (*match.handler)(Request{}).body; }

TEST(HttpRouter, MatchesWithAndWithoutTrailingSlash) {
    HttpRouter router;
    router.add("GET", "/orders/", answer("list"));

    EXPECT_EQ(call(router.match("GET", "/orders/")), "list");
    EXPECT_EQ(call(router.match("GET", "/orders")), "list");
}

TEST(HttpRouter, ExtractsPathParameters) {
    HttpRouter router;
    router.add("GET", "/orders/{order}/lines/{line}/", answer("line"));

    const auto match = router.match("GET", "/orders/12/lines/3");

    ASSERT_EQ(match.kind, HttpRouter::Match::Kind::Found);
    EXPECT_EQ(match.params, (std::map<std::string, std::string>{{"order", "12"}, {"line", "3"}}));
    EXPECT_EQ(match.routeTemplate, "/orders/{order}/lines/{line}/");
}

TEST(HttpRouter, LiteralSegmentsMustMatchExactly) {
    HttpRouter router;
    router.add("GET", "/orders/{id}/", answer("order"));

    EXPECT_EQ(router.match("GET", "/customers/1/").kind, HttpRouter::Match::Kind::NotFound);
    EXPECT_EQ(router.match("GET", "/orders/1/extra/").kind, HttpRouter::Match::Kind::NotFound);
    EXPECT_EQ(router.match("GET", "/orders/").kind, HttpRouter::Match::Kind::NotFound);
}

TEST(HttpRouter, PicksTheRouteOfTheRequestMethod) {
    HttpRouter router;
    router.add("GET", "/orders/{id}/", answer("get"));
    router.add("delete", "/orders/{id}/", answer("delete"));

    EXPECT_EQ(call(router.match("GET", "/orders/1/")), "get");
    EXPECT_EQ(call(router.match("DELETE", "/orders/1/")), "delete");
}

TEST(HttpRouter, OtherMethodOnAKnownPathIsMethodNotAllowedListingAllowed) {
    HttpRouter router;
    router.add("GET", "/orders/{id}/", answer("get"));
    router.add("PUT", "/orders/{id}/", answer("put"));
    router.add("POST", "/orders/", answer("post"));

    const auto match = router.match("DELETE", "/orders/1/");

    EXPECT_EQ(match.kind, HttpRouter::Match::Kind::MethodNotAllowed);
    EXPECT_EQ(match.allowed, (std::vector<std::string>{"GET", "PUT", "HEAD"}));
}

TEST(HttpRouter, HeadIsServedByTheGetRoute) {
    HttpRouter router;
    router.add("GET", "/orders/{id}/", answer("get"));
    router.add("POST", "/orders/", answer("post"));

    const auto head = router.match("HEAD", "/orders/7/");
    ASSERT_EQ(head.kind, HttpRouter::Match::Kind::Found);
    EXPECT_EQ(call(head), "get");
    EXPECT_EQ(head.params.at("id"), "7");
    EXPECT_EQ(router.match("HEAD", "/orders/").kind, HttpRouter::Match::Kind::MethodNotAllowed);
}

TEST(HttpRouter, LiteralAndParameterRoutesCoexistInRegistrationOrder) {
    HttpRouter router;
    router.add("GET", "/orders/count/", answer("count"));
    router.add("GET", "/orders/{id}/", answer("order"));

    EXPECT_EQ(call(router.match("GET", "/orders/count/")), "count");
    EXPECT_EQ(call(router.match("GET", "/orders/7/")), "order");
}

TEST(HttpRouter, RootPathMatches) {
    HttpRouter router;
    router.add("GET", "/", answer("root"));

    EXPECT_EQ(call(router.match("GET", "/")), "root");
}

TEST(HttpRouter, CarriesTheRouteBodyLimitAndWhereItRuns) {
    HttpRouter router;
    router.add("POST", "/orders/", answer("post"), {.maxBodyBytes = 16384});
    router.add("GET", "/orders/", answer("list"));
    router.addNonBlocking("GET", "/healthz", answer("ok"));

    const auto post = router.match("POST", "/orders");
    EXPECT_EQ(post.maxBodyBytes, 16384u);
    EXPECT_FALSE(post.nonBlocking);
    EXPECT_EQ(router.match("GET", "/orders/").maxBodyBytes, 0u);
    const auto health = router.match("GET", "/healthz");
    EXPECT_TRUE(health.nonBlocking);
    EXPECT_EQ(call(health), "ok");
}

TEST(HttpRouter, UnmatchedPathHasNoTemplateButAWrongMethodNamesTheRoute) {
    HttpRouter router;
    router.add("GET", "/orders/{id}/", answer("get"));

    EXPECT_EQ(router.match("GET", "/nowhere/").routeTemplate, "");
    EXPECT_EQ(router.match("PATCH", "/orders/1/").routeTemplate, "/orders/{id}/");
}

TEST(HttpRouter, RejectsTemplatesWithoutLeadingSlash) {
    HttpRouter router;
    EXPECT_THROW(router.add("GET", "orders/", answer("x")), std::invalid_argument);
}

TEST(HttpRouter, RejectsTheSameRouteTwiceEvenWithOtherSlashes) {
    HttpRouter router;
    router.add("GET", "/orders/{id}/", answer("a"));
    EXPECT_THROW(router.add("get", "/orders/{id}", answer("b")), std::invalid_argument);
}

}  // namespace
}  // namespace micro_order::host
