// A real broker restart (rabbitmqctl stop_app / start_app) in the middle of a stream of orders.
// It disturbs every connection to the broker, so ctest runs it alone (RUN_SERIAL).

#include <atomic>
#include <cstdlib>
#include <thread>

#include "workflow_fixture.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

void rabbitmqctl(const std::string& command) {
    const std::string line = "rabbitmqctl -q " + command + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(line.c_str()), 0) << line;
}

TEST_F(WorkflowTest, BrokerRestartMidStreamLosesNoOrder) {
    auto host = startHost(allInOneYaml());
    const int customer = createCustomer("restart@broker.example");
    std::atomic<bool> stop{false};
    std::atomic<int> created{0};
    std::atomic<int> failed{0};
    std::thread stream([&] {
        HttpClient client(ordersPort_);
        while (!stop) {
            const HttpResult result = client.post("/orders/", R"({"customer": )" + std::to_string(customer) + "}");
            (result.status == 201 ? created : failed)++;
            std::this_thread::sleep_for(5ms);
        }
    });
    std::this_thread::sleep_for(700ms);
    rabbitmqctl("stop_app");
    std::this_thread::sleep_for(1s);
    rabbitmqctl("start_app");
    rabbitmqctl("await_startup");
    std::this_thread::sleep_for(700ms);
    stop = true;
    stream.join();

    EXPECT_EQ(failed.load(), 0);
    const auto states = waitForFinalStates(90s);
    EXPECT_EQ(states.size(), static_cast<std::size_t>(created.load()));
    const auto shippings = shippingsByOrder();
    for (const auto& [id, status] : states) {
        EXPECT_EQ(status, "SHIPPED") << "order " << id;
        EXPECT_EQ(shippings.count(id) ? shippings.at(id).size() : 0u, 1u) << "order " << id;
    }
}

}  // namespace
}  // namespace micro_order::testing
