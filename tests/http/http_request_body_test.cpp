// Request bodies of POST /orders/: refused by shape and size before they cost memory. A 1 MiB body of empty objects,
// top-level or nested, is refused by POST /orders/ without the host's peak memory (VmHWM) growing by more than a few
// MiB (the Poco listener grew by about 146 MiB per such body: it parsed the whole document first).
#include <gtest/gtest.h>

#include <string>

#include "http/orders_host_test.hpp"
#include "http/raw_connection.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kMiB = 1 << 20;
constexpr long kAllowedGrowthKb = 8 * 1024;

/// `prefix` + "{},{},…" + `suffix`, exactly `bytes` long (a trailing space pads an odd length).
std::string emptyObjects(const std::string& prefix, const std::string& suffix, std::size_t bytes) {
    std::string body = prefix + "{}";
    while (body.size() + 3 + suffix.size() <= bytes) {
        body += ",{}";
    }
    body += suffix;
    body.append(bytes - body.size(), ' ');
    return body;
}

class HttpRequestBody : public OrdersHostTest {
protected:
    void SetUp() override {
        startOrders();
        createOrders(1);  // the request path is warm: pools, statements, buffers
        ASSERT_FALSE(HasFatalFailure());
        baselineKb_ = procStatusKb(host_->pid(), "VmHWM");
    }

    /// POSTs `body` four times, each on its own connection; every answer must be a refusal.
    void postFourTimes(const std::string& body) {
        for (int i = 0; i < 4; ++i) {
            RawConnection connection(port_);
            connection.trySend(
                "POST /orders/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                "Content-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body,
                10s);
            const auto response = connection.readResponse(10s);
            ASSERT_TRUE(response) << "no answer to body " << i;
            EXPECT_TRUE(response->status == 400 || response->status == 413)
                << "body " << i << " was not refused: " << response->head << "\n"
                << response->body.substr(0, 300);
        }
    }

    long growthKb() const { return procStatusKb(host_->pid(), "VmHWM") - baselineKb_; }

    long baselineKb_ = 0;
};

TEST_F(HttpRequestBody, MebibyteArrayOfEmptyObjectsIsRefusedWithinAFewMebibytes) {
    postFourTimes(emptyObjects("[", "]", kMiB));

    EXPECT_LE(growthKb(), kAllowedGrowthKb) << "peak RSS grew by " << growthKb() / 1024 << " MiB";
}

TEST_F(HttpRequestBody, MebibyteObjectHoldingAnArrayOfEmptyObjectsIsRefusedWithinAFewMebibytes) {
    postFourTimes(emptyObjects(R"({"x":[)", "]}", kMiB));

    EXPECT_LE(growthKb(), kAllowedGrowthKb) << "peak RSS grew by " << growthKb() / 1024 << " MiB";
}

TEST_F(HttpRequestBody, SmallArrayBodyIsRefusedAsNotADictionary) {
    const HttpResult result = HttpClient(port_).post("/orders/", "  [{}, {}]");

    EXPECT_EQ(result.status, 400) << result.body;
    // The services' wording, under "detail" or DRF's "non_field_errors".
    EXPECT_NE(result.body.find("Invalid data. Expected a dictionary, but got list."), std::string::npos) << result.body;
    EXPECT_NO_THROW(json(result.body)) << result.body;
}

TEST_F(HttpRequestBody, BodyOverTheOrdersRouteLimitIs413) {
    // The services declare 16,384 bytes for their JSON bodies, far under http.max_body_bytes.
    const std::string body = R"({"customer": 1, "pad": ")" + std::string(20000, 'a') + "\"}";

    const HttpResult result = HttpClient(port_).post("/orders/", body);

    EXPECT_EQ(result.status, 413) << result.body;
    EXPECT_FALSE(json(result.body)->getValue<std::string>("detail").empty()) << result.body;
}

TEST_F(HttpRequestBody, BodyThatIsNotJsonIs415Json) {
    const HttpResult result = HttpClient(port_).request("POST", "/orders/", "customer=1", "text/plain");

    EXPECT_EQ(result.status, 415) << result.body;
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_FALSE(json(result.body)->getValue<std::string>("detail").empty()) << result.body;
}

}  // namespace
}  // namespace micro_order::testing
