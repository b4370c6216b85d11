// Restarts that drop nothing: this test plays systemd's socket activation. It holds the three
// listening sockets, starts the host with them (LISTEN_FDS, LISTEN_PID) and restarts it twice
// while clients POST orders, each on a new connection. The kernel queues the connections made
// while no host runs; the next host answers them.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>

#include "workflow_fixture.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

/// A listening TCP socket on 127.0.0.1:`port`, as a socket unit's ListenStream= makes it.
int listeningSocket(unsigned short port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, SOMAXCONN) != 0) {
        throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port));
    }
    return fd;
}

class SocketActivationTest : public WorkflowTest {
protected:
    void SetUp() override {
        WorkflowTest::SetUp();
        for (unsigned short port : {customersPort_, ordersPort_, shippingsPort_}) {
            fds_.push_back(listeningSocket(port));
        }
    }
    void TearDown() override {
        WorkflowTest::TearDown();
        for (int fd : fds_) {
            ::close(fd);
        }
    }

    /// Every host started stays here (hosts_ shows their logs when a test fails).
    HostProcess* activate(const std::string& yaml, const std::vector<int>& fds) {
        started_.push_back(std::make_unique<HostProcess>(yaml, folder_.path(), fds));
        hosts_.push_back(started_.back().get());
        return started_.back().get();
    }

    TempDir folder_{"micro-order-socket-activation"};
    std::vector<int> fds_;
    std::vector<std::unique_ptr<HostProcess>> started_;
};

TEST_F(SocketActivationTest, TwoRestartsDuringALoadDropNoRequestAndEveryOrderIsShipped) {
    const std::string yaml = allInOneYaml();
    HostProcess* host = activate(yaml, fds_);
    host->waitUntilReady();
    for (const auto& queue : kWorkflowQueues) {
        ASSERT_TRUE(host->waitForLog("consuming " + queue)) << host->log();
    }
    EXPECT_NE(host->log().find("socket activation: 3 listening sockets from the service manager"), std::string::npos)
        << host->log();
    const int customer = createCustomer("restarts@example.com");

    // Clients: a new connection per POST (a POST cannot be retried blindly), no retries at all.
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::vector<int> created;
    std::vector<std::string> failures;
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
        clients.emplace_back([&] {
            while (!stop) {
                try {
                    HttpClient client("127.0.0.1", ordersPort_, 30s);
                    const HttpResult result =
                        client.request("POST", "/orders/", R"({"customer": )" + std::to_string(customer) + "}");
                    std::lock_guard lock(mutex);
                    if (result.status == 201) {
                        created.push_back(json(result.body)->getValue<int>("id"));
                    } else {
                        failures.push_back(std::to_string(result.status) + " " + result.body);
                    }
                } catch (const std::exception& error) {
                    std::lock_guard lock(mutex);
                    failures.push_back(error.what());
                }
            }
        });
    }
    const auto countCreated = [&] {
        std::lock_guard lock(mutex);
        return created.size();
    };
    for (int restart = 0; restart < 2; ++restart) {
        const std::size_t before = countCreated();
        for (int i = 0; i < 200 && countCreated() < before + 20; ++i) {
            std::this_thread::sleep_for(20ms);  // the load runs against this host first
        }
        host->terminate();
        EXPECT_EQ(host->wait(), 0) << host->log();
        // No host runs now: a POST made meanwhile waits in the kernel's queue of the socket.
        auto whileDown = std::async(std::launch::async, [&] {
            HttpClient client("127.0.0.1", ordersPort_, 30s);
            return client.request("POST", "/orders/", R"({"customer": )" + std::to_string(customer) + "}");
        });
        std::this_thread::sleep_for(300ms);
        host = activate(yaml, fds_);  // the same sockets, as systemd keeps them across a restart
        host->waitUntilReady();
        try {
            const HttpResult queued = whileDown.get();
            EXPECT_EQ(queued.status, 201) << "the POST made while no host ran: " << queued.body;
            if (queued.status == 201) {
                std::lock_guard lock(mutex);
                created.push_back(json(queued.body)->getValue<int>("id"));
            }
        } catch (const std::exception& error) {
            ADD_FAILURE() << "the POST made while no host ran: " << error.what();
        }
    }
    const std::size_t before = countCreated();
    for (int i = 0; i < 200 && countCreated() < before + 20; ++i) {
        std::this_thread::sleep_for(20ms);
    }
    stop = true;
    for (auto& client : clients) {
        client.join();
    }

    std::cout << created.size() << " orders created by POSTs on new connections across two restarts\n";
    EXPECT_TRUE(failures.empty()) << failures.size() << " POSTs got no 201, first: " << failures.front();
    EXPECT_GE(created.size(), 60U);
    const auto states = waitForFinalStates(60s);
    for (int order : created) {
        ASSERT_TRUE(states.count(order)) << "order " << order << " is missing";
        EXPECT_EQ(states.at(order), "SHIPPED") << "order " << order;
    }
}

TEST_F(SocketActivationTest, SocketsThatDoNotMatchTheYamlStopTheStartNamingTheAddresses) {
    // The orders socket is missing and an extra one is passed instead.
    const int extra = listeningSocket(freePort());
    HostProcess* host = activate(allInOneYaml(), {fds_[0], extra, fds_[2]});
    EXPECT_EQ(host->wait(), 78);  // EX_CONFIG: the units do not restart on it
    const std::string log = host->log();
    EXPECT_NE(log.find("listener 'orders' (127.0.0.1:" + std::to_string(ordersPort_) + ") has no socket"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("no listener in the YAML uses it"), std::string::npos) << log;
    ::close(extra);
}

TEST_F(SocketActivationTest, WithoutSocketsTheHostBindsItsOwn) {
    for (int fd : fds_) {
        ::close(fd);
    }
    fds_.clear();
    auto host = startHost(allInOneYaml());
    EXPECT_EQ(host->log().find("socket activation"), std::string::npos) << host->log();
    EXPECT_EQ(createOrder(createCustomer("bound@example.com")) > 0, true);
}

}  // namespace
}  // namespace micro_order::testing
