// The status page (GET /status on the docs listener) in headless Chromium, over a host running
// the whole workflow: it shows orders by status and the time to final state, its chart is drawn
// (the lines' colours are in a screenshot), and it says which host is down and why.

#include <thread>

#include "docs/docs_fixture.hpp"
#include "docs/headless_chromium.hpp"
#include "docs/png_image.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class StatusPageInChromium : public ::testing::Test {
protected:
    void SetUp() override {
        purgeWorkflowQueues();
        ports_ = freeServicePorts();
        docsPort_ = freePortOtherThan({ports_.customers, ports_.orders, ports_.shippings});
        ghostPort_ = freePortOtherThan({ports_.customers, ports_.orders, ports_.shippings, docsPort_});
        std::string yaml = servicesYaml(ports_);
        for (const auto& [step, database] :
             {std::pair{"orders_create", "shippings"}, std::pair{"customers_request", "customers"},
              std::pair{"customers_detail", "shippings"}, std::pair{"shippings_update", "orders"}}) {
            yaml += std::string("  - name: ") + step + "\n    library: consumers\n    database: " + database +
                    "\n    config: {handler: " + step + "}\n";
        }
        // One host (every listener serves the same /metrics) and one that is not there.
        yaml += docsInstanceYaml(docsPort_, {{"orders", ports_.orders}}) +
                "      status:\n"
                "        interval_ms: 200\n"
                "        history_minutes: 1\n"
                "        metrics:\n"
                "          - name: workflow\n"
                "            url: http://127.0.0.1:" +
                std::to_string(ports_.orders) +
                "/metrics\n"
                "          - name: ghost\n"
                "            url: http://127.0.0.1:" +
                std::to_string(ghostPort_) + "/metrics\n";
        host_ = std::make_unique<HostProcess>(yaml);
        host_->waitUntilReady();
        ASSERT_TRUE(host_->waitForLog("consuming shippings.update")) << host_->log();
    }

    void TearDown() override {
        if (host_ && (HasFailure() || std::getenv("MICRO_ORDER_TEST_SHOW_LOG"))) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end of host log ---\n";
        }
    }

    /// Without its reload: Chromium's virtual time would follow the reloads forever.
    std::string statusUrl() const { return "http://127.0.0.1:" + std::to_string(docsPort_) + "/status?refresh=0"; }

    ServicePorts ports_;
    unsigned short docsPort_ = 0;
    unsigned short ghostPort_ = 0;
    std::unique_ptr<HostProcess> host_;
};

TEST_F(StatusPageInChromium, ShowsTheWorkflowDrawsTheChartAndSaysWhichHostIsDown) {
    const HttpResult customer = httpRequest(ports_.customers, "POST", "/customers/",
                                            R"({"email": "status@page.example", "address": "Moutain View, 33"})");
    ASSERT_EQ(customer.status, 201);
    const std::string order = R"({"customer": )" + std::to_string(json(customer.body)->getValue<int>("id")) + "}";
    // Orders over a few sampling intervals, so that several points of the chart have data.
    for (int i = 0; i < 30; ++i) {
        ASSERT_EQ(httpRequest(ports_.orders, "POST", "/orders/", order).status, 201);
        std::this_thread::sleep_for(50ms);
    }
    std::string page;
    for (int i = 0; i < 100; ++i) {
        page = httpRequest(docsPort_, "GET", "/status").body;
        if (contains(page, "<tr><th>Orders SHIPPED</th> <td>30</td></tr>") && contains(page, "<polyline")) {
            break;
        }
        std::this_thread::sleep_for(100ms);
    }
    ASSERT_TRUE(contains(page, "<polyline")) << page;

    const RenderedPage rendered = renderPage(statusUrl(), 1s);
    EXPECT_EQ(rendered.exitCode, 0) << rendered.log;
    EXPECT_EQ(consoleLines(rendered.log), std::vector<std::string>{}) << rendered.log;
    const std::string text = visibleText(rendered.dom);
    EXPECT_TRUE(contains(text, "1 of 2 hosts down: ghost")) << text;
    EXPECT_TRUE(
        contains(text, "ghost down: http://127.0.0.1:" + std::to_string(ghostPort_) + "/metrics: Connection refused"))
        << text;
    EXPECT_TRUE(contains(text, "Orders SHIPPED 30")) << text;
    EXPECT_TRUE(contains(text, "Orders PROCESSING 0")) << text;
    EXPECT_TRUE(contains(text, "Time to final state (since the hosts started) median")) << text;

    TempDir folder("micro-order-status-shot");
    screenshotPage(statusUrl(), folder.file("status.png"), 800, 700);
    const PngImage shot = readPng(folder.file("status.png"));
    ASSERT_EQ(shot.width, 800);
    // The lines' colours are used nowhere else on the page: finding them means the chart is drawn.
    EXPECT_GT(countPixelsNear(shot, 0x1f77b4, 12), 15) << "no median line in the screenshot";
    EXPECT_GT(countPixelsNear(shot, 0xff7f0e, 12), 15) << "no 99th-percentile line in the screenshot";
    if (const char* file = std::getenv("MICRO_ORDER_STATUS_SCREENSHOT"); file && *file) {
        screenshotPage(statusUrl(), file, 800, 700);
    }
}

}  // namespace
}  // namespace micro_order::testing
