// Request metrics cannot be inflated by clients: invented methods share method="other" and
// unmatched paths share route="(unmatched)", so /metrics keeps a bounded number of series.
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <string>

#include "http/probe_host_test.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

const char* const kRequests = "micro_order_http_requests_total";

class HttpRequestMetrics : public ProbeHostTest {
protected:
    void SetUp() override { startHost(); }

    /// /metrics once `requests` requests to `route` were counted (a request may be counted just
    /// after its response went out).
    std::string pageAfter(const std::string& route, double requests) {
        waitForMetric(port_, kRequests, {{"instance", "probe"}, {"route", route}}, requests, 3s);
        return scrapeMetrics(port_);
    }
};

std::string firstLines(const std::string& page) { return page.substr(0, 1500); }

TEST_F(HttpRequestMetrics, HundredInventedMethodsAreCountedAsOtherWithoutASeriesEach) {
    RawConnection connection(port_);
    for (int i = 0; i < 100; ++i) {
        connection.send("FOOBAR" + std::to_string(i) + " /echo/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        const auto response = connection.readResponse(5s);
        ASSERT_TRUE(response) << "no answer to invented method " << i;
        EXPECT_GE(response->status, 400) << response->head;
        if (Poco::icompare(response->header("Connection"), "close") == 0) {
            connection = RawConnection(port_);
        }
    }

    const std::string page = pageAfter("/echo/", 100);

    EXPECT_EQ(page.find("FOOBAR"), std::string::npos) << "an invented method became a label:\n" << firstLines(page);
    EXPECT_EQ(metricValue(page, kRequests, {{"instance", "probe"}, {"method", "other"}}).value_or(0), 100)
        << firstLines(page);
}

TEST_F(HttpRequestMetrics, KnownMethodsKeepTheirOwnLabel) {
    RawConnection connection(port_);
    connection.send(
        getRequest("/echo/") +
        "POST /echo/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi" +
        "DELETE /echo/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(connection.readResponse(5s)) << "no answer to request " << i;
    }

    const std::string page = pageAfter("/echo/", 3);

    EXPECT_EQ(metricValue(page, kRequests, {{"instance", "probe"}, {"route", "/echo/"}, {"method", "GET"}}), 1) << page;
    EXPECT_EQ(metricValue(page, kRequests, {{"instance", "probe"}, {"route", "/echo/"}, {"method", "POST"}}), 1)
        << page;
    EXPECT_EQ(metricValue(page, kRequests, {{"instance", "probe"}, {"method", "DELETE"}, {"status", "405"}}), 1)
        << page;
}

TEST_F(HttpRequestMetrics, UnmatchedPathsShareOneRouteLabel) {
    RawConnection connection(port_);
    for (int i = 0; i < 50; ++i) {
        connection.send(getRequest("/nowhere-" + std::to_string(i) + "/"));
        ASSERT_TRUE(connection.readResponse(5s)) << "no answer to unmatched path " << i;
    }

    const std::string page = pageAfter("(unmatched)", 50);

    EXPECT_EQ(page.find("nowhere-"), std::string::npos) << "an unmatched path became a label";
    EXPECT_EQ(metricValue(page, kRequests, {{"instance", "probe"}, {"route", "(unmatched)"}, {"status", "404"}}), 50)
        << page;
}

}  // namespace
}  // namespace micro_order::testing
