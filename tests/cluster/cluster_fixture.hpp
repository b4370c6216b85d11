#pragma once

// What the cluster tests share: host YAML on PostgreSQL databases, tap queues that see every
// message the workflow publishes, a client thread that posts orders, and the checks that every
// order ended and no effect happened twice.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "amqp_connection.hpp"
#include "support/host_process.hpp"

namespace micro_order::testing {

/// The workflow's services, each with its own database.
extern const std::vector<std::string> kServices;
/// The routing keys of the workflow's four messages (each the name of its queue).
extern const std::vector<std::string> kRoutingKeys;

struct Order {
    int customer = 0;
    std::string status;
};

/// What one POST /orders/ answered.
struct PostResult {
    int status = 0;  ///< HTTP status, or -1 when the connection failed without an answer
    int id = 0;      ///< the new order's id when 201
    int customer = 0;
    std::chrono::steady_clock::time_point at;
};

/// Posts orders to 127.0.0.1:`port` on one thread of its own (keep-alive, a new connection
/// after a failure), alternating between `customer` (exists: SHIPPED) and `customer` + 100000
/// (does not exist: CANCELLED), until stop() or `limit` orders. A small pause between posts
/// keeps the stream going for the seconds the faults take.
class OrderPoster {
public:
    OrderPoster(unsigned short port, int customer, int limit, std::chrono::milliseconds pause);
    ~OrderPoster();
    OrderPoster(const OrderPoster&) = delete;
    OrderPoster& operator=(const OrderPoster&) = delete;

    /// Orders answered 201 so far.
    int created() const { return created_; }
    /// Waits until created() reaches `count` (false after `timeout` or when the poster ended).
    bool waitForCreated(int count, std::chrono::seconds timeout = std::chrono::seconds(30));
    /// Stops and joins; the answers in the order they came.
    std::vector<PostResult> stop();
    /// Waits until all `limit` posts were made (at most `timeout`), then stop().
    std::vector<PostResult> finish(std::chrono::seconds timeout);

private:
    void run(unsigned short port, int customer, int limit, std::chrono::milliseconds pause);

    std::atomic<bool> stop_{false};
    std::atomic<int> created_{0};
    std::atomic<bool> done_{false};
    std::mutex mutex_;
    std::vector<PostResult> results_;
    std::thread thread_;
};

class ClusterTest : public ::testing::Test {
protected:
    void TearDown() override;

    /// One service's host: its plugin on `port`, the consumers of its database, that database
    /// on PostgreSQL at `databaseUrl`, the broker at `brokerUrl`.
    static std::string serviceYaml(const std::string& service, unsigned short port, const std::string& brokerUrl,
                                   const std::string& databaseUrl);
    /// Every service and consumer in one host; `ports` and `databaseUrls` by service.
    static std::string allInOneYaml(const std::map<std::string, unsigned short>& ports, const std::string& brokerUrl,
                                    const std::map<std::string, std::string>& databaseUrls);

    /// Starts a host and waits until it serves and its consumers consume. The fixture owns it
    /// (until after TearDown, which shows its log when the test failed).
    HostProcess& startHost(const std::string& yaml);
    /// A customer that exists, through the customers service at `port`.
    static int createCustomer(unsigned short port);

    /// A vhost, a database, a cluster, an nginx the test needs: the fixture keeps it until after
    /// the hosts are gone, so no host runs on a dropped database or a deleted vhost.
    template <typename T, typename... Args>
    T& own(Args&&... args) {
        auto object = std::make_shared<T>(std::forward<Args>(args)...);
        owned_.push_back(object);
        return *object;
    }

private:
    std::vector<std::shared_ptr<void>> owned_;  // destroyed after hosts_ (declared before it)
    std::vector<std::unique_ptr<HostProcess>> hosts_;
};

/// Declares `tap.<key>` for each of kRoutingKeys, bound to the exchange that carries it, so every
/// message the workflow publishes is also kept there (the workflow's queues lose them on ack).
/// The hosts must have declared the exchanges already.
void declareTaps(const std::string& brokerUrl);
/// Takes (and acks) every message in `queue` until it stays empty for half a second.
std::vector<host::AmqpDelivery> drainQueue(const std::string& brokerUrl, const std::string& queue);

/// Waits until no order is PROCESSING (through 127.0.0.1:`port`); every order by id.
std::map<int, Order> waitForFinalStates(unsigned short port, std::chrono::seconds timeout);

/// `SELECT COUNT(*) ...` (or any one-number query) on the PostgreSQL database at `url`.
std::int64_t postgresqlCount(const std::string& url, const std::string& sql);
/// Outbox rows at `url` once 0, or after `timeout` (the relay deletes after the broker's confirm).
std::int64_t outboxRowsOnceSettled(const std::string& url, std::chrono::seconds timeout = std::chrono::seconds(10));

/// The checks both cluster tests end with, given every order and what the taps saw: each
/// order's final state is the one its customer implies, and each order has exactly one message
/// id per routing key (see the comment in the .cpp for why that is the right line). Returns
/// how many deliveries repeated a message id already seen (at-least-once, allowed).
int expectEachEffectOnce(const std::map<int, Order>& orders, int existingCustomer,
                         const std::map<std::string, std::vector<host::AmqpDelivery>>& taps);

}  // namespace micro_order::testing
