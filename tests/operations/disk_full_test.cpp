// A full disk under the databases (a small tmpfs, mounted by the test: it runs as root, as CI
// does): requests that need to write answer 503 with Retry-After naming the database, never 500;
// /readyz says the instance cannot serve and why; failures are logged once per interval and
// attributed to the database, never to the broker; once the filesystem has room again, the host
// recovers by itself and every order it accepted reaches its final state: nothing is lost.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_vhost.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

std::size_t lineCount(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

class DiskFull : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(::geteuid(), 0u) << "this test mounts a tmpfs: run it as root (CI does)";
        mountPoint_ = folder_.file("db");
        std::string output;
        ASSERT_EQ(runShell("mkdir -p " + mountPoint_ + " && mount -t tmpfs -o size=3m tmpfs " + mountPoint_, &output),
                  0)
            << output;
        mounted_ = true;
        vhost_ = std::make_unique<TestVhost>("micro-order-disk-full");
        std::string yaml = yamlHeader();
        yaml.replace(yaml.find(amqpUrl()), amqpUrl().size(), vhost_->url());
        yaml += "databases:\n";
        for (const char* name : {"customers", "orders", "shippings"}) {
            yaml += std::string("  ") + name + ":\n    path: db/" + name + ".sqlite3\n";
        }
        yaml += "plugins:\n";
        for (const auto& [name, port] : {std::pair{"customers", customersPort_}, std::pair{"orders", ordersPort_},
                                         std::pair{"shippings", shippingsPort_}}) {
            yaml += std::string("  - name: ") + name + "\n    library: " + name + "\n    database: " + name +
                    "\n    listen: 127.0.0.1:" + std::to_string(port) + "\n";
        }
        for (const auto& [step, database] :
             {std::pair{"orders_create", "shippings"}, std::pair{"customers_request", "customers"},
              std::pair{"customers_detail", "shippings"}, std::pair{"shippings_update", "orders"}}) {
            yaml += std::string("  - name: ") + step + "\n    library: consumers\n    database: " + database +
                    "\n    config: {handler: " + step + "}\n";
        }
        host_ = std::make_unique<HostProcess>(yaml, folder_.path());
        host_->waitUntilReady();
        ASSERT_TRUE(host_->waitForLog("consuming shippings.update")) << host_->log();
    }

    void TearDown() override {
        if ((HasFailure() || std::getenv("MICRO_ORDER_TEST_SHOW_LOG")) && host_) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end ---\n";
        }
        host_.reset();
        if (mounted_) {
            runShell("umount " + mountPoint_);
        }
    }

    void grow() {
        std::string output;
        ASSERT_EQ(runShell("mount -o remount,size=64m " + mountPoint_, &output), 0) << output;
    }

    TempDir folder_{"micro-order-disk-full"};
    std::string mountPoint_;
    bool mounted_ = false;
    std::unique_ptr<TestVhost> vhost_;
    unsigned short customersPort_ = freePort();
    unsigned short ordersPort_ = freePort();
    unsigned short shippingsPort_ = freePort();
    std::unique_ptr<HostProcess> host_;
};

TEST_F(DiskFull, RequestsAre503NamingTheDatabaseReadyzSaysWhyAndEverythingAcceptedShipsOnceThereIsRoom) {
    const HttpResult customer = httpRequest(customersPort_, "POST", "/customers/",
                                            R"({"email": "full@disk.example", "address": "Moutain View, 33"})");
    ASSERT_EQ(customer.status, 201) << customer.body;
    const std::string order = R"({"customer": )" + std::to_string(json(customer.body)->getValue<int>("id")) + "}";

    // Fill the disk: orders are accepted until the orders database cannot write.
    HttpClient client(ordersPort_);
    int accepted = 0;
    HttpResult refused;
    for (int i = 0; i < 20000 && refused.status == 0; ++i) {
        const HttpResult result = client.post("/orders/", order);
        ASSERT_TRUE(result.status == 201 || result.status == 503) << result.status << " " << result.body;
        if (result.status == 201) {
            ++accepted;
        } else {
            refused = result;
        }
    }
    ASSERT_EQ(refused.status, 503) << "the 3 MB filesystem never filled";
    ASSERT_GT(accepted, 0);
    EXPECT_EQ(refused.header("Retry-After"), "5");
    EXPECT_EQ(json(refused.body)->getValue<std::string>("detail"),
              "Database \"orders\" is unavailable (disk full); try again later.");

    // While it stays full: more refusals, /readyz 503 naming the database, few log lines. A
    // write sometimes fits again for a moment (a checkpoint frees room in the WAL), so the probes
    // are watched for the whole period rather than once.
    const std::size_t linesBefore = lineCount(host_->log());
    HttpResult ready;
    bool unwritable = false;
    const auto until = std::chrono::steady_clock::now() + 4s;
    while (std::chrono::steady_clock::now() < until) {
        const HttpResult result = httpRequest(ordersPort_, "POST", "/orders/", order);
        ASSERT_TRUE(result.status == 201 || result.status == 503) << result.status << " " << result.body;
        accepted += result.status == 201 ? 1 : 0;
        if (ready.status != 503) {
            ready = httpRequest(ordersPort_, "GET", "/readyz");
        }
        if (!unwritable) {
            const std::string metrics = httpRequest(ordersPort_, "GET", "/metrics").body;
            unwritable = metrics.find("micro_order_database_writable{database=\"orders\"} 0\n") != std::string::npos;
        }
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(ready.status, 503) << ready.body;
    EXPECT_EQ(ready.header("Retry-After"), "5");
    EXPECT_NE(ready.body.find("database orders: disk full"), std::string::npos) << ready.body;
    EXPECT_TRUE(unwritable) << "/metrics never showed the orders database unwritable";
    const std::string log = host_->log();
    // Hundreds of refused requests and retried messages: a few lines per interval, not one each.
    EXPECT_LT(lineCount(log) - linesBefore, 40u) << log.substr(log.size() > 20000 ? log.size() - 20000 : 0);
    EXPECT_EQ(log.find("broker unavailable"), std::string::npos) << "a database failure was blamed on the broker";
    EXPECT_EQ(log.find("Internal server error"), std::string::npos);
    EXPECT_NE(log.find("database orders: disk full, answering 503 to POST /orders/"), std::string::npos);

    // Room again: the host recovers without a restart, and nothing it accepted is lost.
    grow();
    HttpResult recovered;
    for (int i = 0; i < 300 && recovered.status != 200; ++i) {
        std::this_thread::sleep_for(50ms);
        recovered = httpRequest(ordersPort_, "GET", "/readyz");
    }
    EXPECT_EQ(recovered.status, 200) << recovered.body;
    ASSERT_EQ(httpRequest(ordersPort_, "POST", "/orders/", order).status, 201);
    ++accepted;

    const auto deadline = std::chrono::steady_clock::now() + 90s;
    std::string processing;
    do {
        std::this_thread::sleep_for(200ms);
        processing = httpRequest(ordersPort_, "GET", "/orders/?status=PROCESSING&limit=1").body;
    } while (processing != "[]" && std::chrono::steady_clock::now() < deadline);
    EXPECT_EQ(processing, "[]") << "orders still PROCESSING";
    int shipped = 0;
    int total = 0;
    for (int offset = 0;; offset += 1000) {
        const auto page =
            jsonArray(httpRequest(ordersPort_, "GET", "/orders/?limit=1000&offset=" + std::to_string(offset)).body);
        for (std::size_t i = 0; i < page->size(); ++i) {
            ++total;
            shipped += page->getObject(static_cast<unsigned>(i))->getValue<std::string>("status") == "SHIPPED";
        }
        if (page->size() < 1000) {
            break;
        }
    }
    EXPECT_EQ(total, accepted) << "a refused order was stored, or an accepted one lost";
    EXPECT_EQ(shipped, accepted);
}

}  // namespace
}  // namespace micro_order::testing
