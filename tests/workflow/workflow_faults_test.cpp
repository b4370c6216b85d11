// Faults in the middle of a stream of orders: the network to the broker cut, a host killed with
// SIGKILL. Nothing may be lost and no order may get two shippings.

#include <Poco/URI.h>

#include <atomic>
#include <thread>

#include "tcp_proxy.hpp"
#include "workflow_fixture.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

/// Posts orders on one keep-alive connection until told to stop; HTTP must keep working while
/// the broker is away (orders wait in the outbox).
class OrderStream {
public:
    OrderStream(unsigned short port, int customer) : thread_([this, port, customer] { run(port, customer); }) {}
    ~OrderStream() { stop(); }
    void stop() {
        stop_ = true;
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    int created() const { return created_; }
    int failed() const { return failed_; }

private:
    void run(unsigned short port, int customer) {
        while (!stop_) {
            try {
                HttpClient client(port);
                while (!stop_) {
                    const HttpResult result =
                        client.post("/orders/", R"({"customer": )" + std::to_string(customer) + "}");
                    (result.status == 201 ? created_ : failed_)++;
                    std::this_thread::sleep_for(5ms);
                }
            } catch (const std::exception&) {
                ++failed_;  // the host is down (kill test): try again
                std::this_thread::sleep_for(50ms);
            }
        }
    }

    std::atomic<bool> stop_{false};
    std::atomic<int> created_{0};
    std::atomic<int> failed_{0};
    std::thread thread_;
};

void expectEveryOrderFinishedOnceShipped(const std::map<int, std::string>& states,
                                         const std::map<int, std::vector<std::string>>& shippings) {
    for (const auto& [id, status] : states) {
        EXPECT_EQ(status, "SHIPPED") << "order " << id;
        ASSERT_EQ(shippings.count(id), 1u) << "order " << id << " has no shipping";
        EXPECT_EQ(shippings.at(id).size(), 1u) << "order " << id << " has several shippings";
    }
}

TEST_P(ConnectorWorkflowTest, NetworkCutToTheBrokerMidStreamLosesNoOrder) {
    Poco::URI broker(amqpUrl());
    TcpProxy proxy(broker.getPort());
    broker.setPort(proxy.port());
    auto host = startHost(allInOneYaml(broker.toString()));
    const int customer = createCustomer("cut@network.example");

    OrderStream stream(ordersPort_, customer);
    std::this_thread::sleep_for(700ms);
    proxy.cut();
    std::this_thread::sleep_for(1500ms);  // orders keep coming in while the broker is unreachable
    const int duringCut = stream.created();
    proxy.restore();
    std::this_thread::sleep_for(700ms);
    stream.stop();

    EXPECT_EQ(stream.failed(), 0) << "HTTP must keep accepting orders while the broker is away";
    EXPECT_GT(duringCut, 0);
    const auto states = waitForFinalStates(60s);
    EXPECT_EQ(states.size(), static_cast<std::size_t>(stream.created()));
    expectEveryOrderFinishedOnceShipped(states, shippingsByOrder());
    EXPECT_NE(host->log().find("reconnecting"), std::string::npos) << "the consumers noticed the cut";
}

TEST_P(ConnectorWorkflowTest, HostKilledWithSigkillMidStreamThenRestartedLosesNothingAndDuplicatesNothing) {
    auto host = startHost(allInOneYaml());
    const std::string folder = host->folder();
    const int customer = createCustomer("kill@nine.example");
    {
        OrderStream stream(ordersPort_, customer);
        std::this_thread::sleep_for(800ms);
        host->kill();
        host->wait();
        std::this_thread::sleep_for(200ms);
        stream.stop();
    }
    // The same files, a new process: outbox rows not yet confirmed go out now; deliveries
    // that were in flight come back from the broker and the inbox skips what was done.
    hosts_.clear();
    auto restarted = startHost(allInOneYaml(), folder);
    const auto states = waitForFinalStates(60s);
    EXPECT_GT(states.size(), 10u);
    expectEveryOrderFinishedOnceShipped(states, shippingsByOrder());
    for (const std::string database : {"orders", "shippings", "customers"}) {
        EXPECT_EQ(outboxRowsOnceSettled(folder, database), 0) << database;
    }
    hosts_.push_back(host.get());
}

INSTANTIATE_TEST_SUITE_P(Connectors, ConnectorWorkflowTest, kEveryConnector, ConnectorParamName());

}  // namespace
}  // namespace micro_order::testing
