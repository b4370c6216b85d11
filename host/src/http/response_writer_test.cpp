#include "http/response_writer.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace micro_order::host {
namespace {

Response withHeader(std::string name, std::string value) {
    Response response = Response::json(200, "{}");
    response.headers.emplace_back(std::move(name), std::move(value));
    return response;
}

/// The bytes between the Date header and the end of the head, which vary by the second.
std::string withoutDate(const std::string& out) { return std::regex_replace(out, std::regex("Date: [^\r]*\r\n"), ""); }

TEST(WriteResponse, PutsStatusLineHeadersAndBodyInOneBuffer) {
    std::string out;
    Response response = withHeader("Link", "</orders/?limit=1&offset=1>; rel=\"next\"");

    ASSERT_EQ(writeResponse(response, {}, out), "");

    EXPECT_EQ(withoutDate(out),
              "HTTP/1.1 200 OK\r\n"
              "Content-Type: application/json\r\n"
              "Content-Length: 2\r\n"
              "Connection: Keep-Alive\r\n"
              "Link: </orders/?limit=1&offset=1>; rel=\"next\"\r\n"
              "\r\n"
              "{}");
    EXPECT_NE(out.find("\r\nDate: "), std::string::npos);
}

TEST(WriteResponse, HeadKeepsTheLengthButSendsNoBodyAndCloseSaysSo) {
    std::string out;
    ASSERT_EQ(
        writeResponse(Response::json(404, R"({"detail":"Not found."})"), {.keepAlive = false, .headOnly = true}, out),
        "");

    EXPECT_EQ(withoutDate(out),
              "HTTP/1.1 404 Not Found\r\n"
              "Content-Type: application/json\r\n"
              "Content-Length: 23\r\n"
              "Connection: close\r\n"
              "\r\n");
}

TEST(WriteResponse, RefusesCrLfAndNulInHeaderValuesSendingNothing) {
    for (const std::string& value : {std::string("a\r\nSet-Cookie: session=attacker"), std::string("a\rb"),
                                     std::string("a\nb"), std::string("a\0b", 3)}) {
        std::string out = "left over";
        const std::string problem = writeResponse(withHeader("Link", value), {}, out);
        EXPECT_NE(problem, "");
        EXPECT_EQ(out, "");
        EXPECT_EQ(problem.find_first_of(std::string("\r\n\0", 3)), std::string::npos) << problem;
    }
}

TEST(WriteResponse, RefusesHeaderNamesThatAreNotTokens) {
    for (const std::string& name :
         std::vector<std::string>{"", "X-A\r\nX-B", "X A", "X:A", std::string("X\0", 2), "X-\xc3\xa9"}) {
        std::string out;
        EXPECT_NE(writeResponse(withHeader(name, "v"), {}, out), "") << name;
        EXPECT_EQ(out, "");
    }
    std::string out;
    EXPECT_EQ(writeResponse(withHeader("X-Request_Id.v2!", "v"), {}, out), "");
}

TEST(WriteResponse, RefusesAContentTypeWithCrLf) {
    Response response = Response::json(200, "{}");
    response.contentType = "text/html\r\nX-Evil: 1";
    std::string out;
    EXPECT_NE(writeResponse(response, {}, out), "");
    EXPECT_EQ(out, "");
}

TEST(WriteResponse, LeavesFramingHeadersToTheHost) {
    for (const auto* name : {"Content-Length", "transfer-encoding", "CONNECTION"}) {
        std::string out;
        EXPECT_NE(writeResponse(withHeader(name, "5"), {}, out), "") << name;
        EXPECT_EQ(out, "");
    }
}

TEST(WriteResponse, RefusesAStatusOutsideOneHundredToFiveHundredNinetyNine) {
    for (int status : {0, 99, 600, -200}) {
        std::string out;
        EXPECT_NE(writeResponse(Response::json(status, "{}"), {}, out), "") << status;
    }
    std::string out;
    ASSERT_EQ(writeResponse(Response::json(599, "{}"), {}, out), "");
    EXPECT_EQ(out.rfind("HTTP/1.1 599 ", 0), 0u) << out;
}

TEST(DetailResponse, IsJsonWithTheDetailEscaped) {
    const Response response = detailResponse(405, "Method \"X\" not allowed.\n\\");
    EXPECT_EQ(response.status, 405);
    EXPECT_EQ(response.contentType, "application/json");
    EXPECT_EQ(response.body, R"({"detail":"Method \"X\" not allowed.\n\\"})");
    EXPECT_EQ(jsonString(std::string("\x01/é", 4)), "\"\\u0001/é\"");
}

TEST(HttpDate, IsAnImfFixdate) {
    EXPECT_TRUE(std::regex_match(std::string(httpDate()),
                                 std::regex("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] "
                                            "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 2[0-9]{3} "
                                            "[0-2][0-9]:[0-5][0-9]:[0-6][0-9] GMT")))
        << httpDate();
}

}  // namespace
}  // namespace micro_order::host
