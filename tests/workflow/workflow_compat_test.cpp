// Mixed deployments with the original Python services: every body they can publish on each queue
// (as the wire facts of the 2020 services describe them), sent the way pika sends it, reaches the
// final state the original's own workers would give it; every body they cannot publish is
// dead-lettered on its first delivery, never retried.

#include <thread>

#include "original_publisher.hpp"
#include "workflow_fixture.hpp"

namespace micro_order::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kDeadLetterQueue = "micro-order.dead-letter";

/// One row of the compatibility table. In `body`, {order}, {shipping} and {customer} stand for
/// the order arranged for the case, its shipping and an existing customer.
struct CompatibleBody {
    std::string queue;
    std::string body;
    bool withShipping;  ///< arrange a PROCESSING shipping, as the original's orders_create made it
    std::string finalOrder;
    std::vector<std::string> finalShippings;
    int copies = 1;  ///< a Python worker that crashes before its ack gets its input again
};

const std::vector<CompatibleBody> kCompatibleBodies{
    // orders.create: {"id": <order>, "customer": <customer>}, customer validated only >= 0.
    {"orders.create", R"({"id": {order}, "customer": 0})", false, "CANCELLED", {"FAIL"}},
    {"orders.create", R"({"id": {order}, "customer": {customer}})", false, "SHIPPED", {"SUCCESS"}},
    {"orders.create", R"({"id": {order}, "customer": 2147483647})", false, "CANCELLED", {"FAIL"}},
    {"orders.create", R"({"id": {order}, "customer": {customer}})", false, "SHIPPED", {"SUCCESS"}, 2},
    // customers.request: {"id": <shipping>, "customer": <customer>}, copied from orders.create.
    {"customers.request", R"({"id": {shipping}, "customer": 0})", true, "CANCELLED", {"FAIL"}},
    {"customers.request", R"({"id": {shipping}, "customer": {customer}})", true, "SHIPPED", {"SUCCESS"}},
    // customers.detail: the stored email and address, or {} for no such customer.
    {"customers.detail", R"({"id": {shipping}, "customer": {}})", true, "CANCELLED", {"FAIL"}},
    {"customers.detail",
     R"({"id": {shipping}, "customer": {"email": "user@[::1]", "address": "Moutain View, 33"}})",
     true,
     "SHIPPED",
     {"SUCCESS"}},
    {"customers.detail",
     R"({"id": {shipping}, "customer": {"email": "j\u00fcrgen@b\u00fccher.example", "address": "Caixa \ud83d\udce6 \"3\""}})",
     true,
     "SHIPPED",
     {"SUCCESS"}},
    {"customers.detail", R"({"id": {shipping}, "customer": {}})", true, "CANCELLED", {"FAIL"}, 2},
    // shippings.update: the shipping lives in the original's shippings database, not in ours.
    {"shippings.update", R"({"id": 1, "order": {order}, "status": 1})", false, "SHIPPED", {}},
    {"shippings.update", R"({"id": 1, "order": {order}, "status": 2})", false, "CANCELLED", {}},
};

/// A body the original services cannot publish, and what the dead letter must say.
struct PoisonBody {
    std::string queue;
    std::string body;  ///< {tag} keeps this run's bodies apart in the shared dead-letter queue
    std::string reason;
};

const std::vector<PoisonBody> kPoisonBodies{
    {"orders.create", R"({"id": -1, "customer": 1, "tag": "{tag}"})", "field \"id\" must be at least 1"},
    {"orders.create", R"({"id": 9223372036854775808, "customer": 1, "tag": "{tag}"})", "does not fit in 64 bits"},
    {"orders.create", R"({"id": 18446744073709551617, "customer": 1, "tag": "{tag}"})", "does not fit in 64 bits"},
    {"orders.create", R"({"id": 7, "customer": -1, "tag": "{tag}"})", "field \"customer\" must be at least 0"},
    {"orders.create", R"({"id": 7, "customer": 2147483648, "tag": "{tag}"})", "must be at most 2147483647"},
    {"orders.create", R"({"id": 7, "tag": "{tag}"})", "field \"customer\" is missing"},
    {"orders.create", R"({"id": "7", "customer": 1, "tag": "{tag}"})", "field \"id\" is not an integer"},
    {"customers.request", R"({"id": 7.0, "customer": 1, "tag": "{tag}"})", "field \"id\" is not an integer"},
    {"customers.request", R"({"id": 7, "customer": null, "tag": "{tag}"})", "field \"customer\" is not an integer"},
    {"customers.detail", R"({"id": 7, "customer": null, "tag": "{tag}"})", "field \"customer\" is not an object"},
    {"customers.detail", R"({"id": 7, "customer": {"email": "a@b.c"}, "tag": "{tag}"})",
     "field \"customer.address\" is missing"},
    {"shippings.update", R"({"tag": "{tag}"})", "field \"id\" is missing"},
    {"shippings.update", R"({"id": 1, "order": 7, "status": 0, "tag": "{tag}"})", "must be 1 (SUCCESS) or 2 (FAIL)"},
    {"shippings.update", R"({"tag": "{tag}", "id": )" + std::string(100000, '[') + std::string(100000, ']') + "}",
     "Maximum depth exceeded"},
    {"customers.request", "{tag} not json", "body is not JSON"},
};

std::string substitute(std::string text, const std::string& name, const std::string& value) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + value.size())) {
        text.replace(at, name.size(), value);
    }
    return text;
}

/// The original binds each queue to the exchange of its first word.
std::string exchangeOf(const std::string& queue) { return queue.substr(0, queue.find('.')); }

class WorkflowCompatTest : public WorkflowTest {
protected:
    /// A row written into a database of the running host, as another service sharing it would.
    std::int64_t insert(const std::string& database, const std::string& sql) {
        return databases_.scalar(host_->folder(), database, sql + " RETURNING id");
    }

    std::int64_t arrangeOrder(int customer) {
        return insert("orders", "INSERT INTO orders_order (status, customer, made_at) VALUES (0, " +
                                    std::to_string(customer) + ", '2020-05-22T12:00:00.000000Z')");
    }

    std::int64_t arrangeShipping(std::int64_t order) {
        return insert("shippings", "INSERT INTO shippings_shipping (order_id, status, shipped_at) VALUES (" +
                                       std::to_string(order) + ", 0, '2020-05-22T12:00:01.000000Z')");
    }

    std::unique_ptr<HostProcess> host_;
};

TEST_F(WorkflowCompatTest, EveryBodyTheOriginalServicesPublishReachesTheOriginalsFinalState) {
    host_ = startHost(allInOneYaml());
    // Stored through our API, which validates emails as Django does: the forms the original
    // stores travel on in customers.detail.
    const int customer = createCustomer("user@[::1]");
    OriginalPublisher original(amqpUrl());
    std::vector<std::int64_t> orders;
    for (const CompatibleBody& row : kCompatibleBodies) {
        const std::int64_t order = arrangeOrder(row.body.find("\"customer\": 0") != std::string::npos ? 0 : customer);
        const std::int64_t shipping = row.withShipping ? arrangeShipping(order) : 0;
        std::string body = substitute(row.body, "{order}", std::to_string(order));
        body = substitute(body, "{shipping}", std::to_string(shipping));
        body = substitute(body, "{customer}", std::to_string(customer));
        for (int copy = 0; copy < row.copies; ++copy) {
            original.publish(exchangeOf(row.queue), row.queue, body);
        }
        orders.push_back(order);
    }

    const auto states = waitForFinalStates();
    const auto shippings = shippingsByOrder();
    for (std::size_t i = 0; i < kCompatibleBodies.size(); ++i) {
        const CompatibleBody& row = kCompatibleBodies[i];
        EXPECT_EQ(states.at(static_cast<int>(orders[i])), row.finalOrder) << row.queue << " " << row.body;
        const auto found = shippings.find(static_cast<int>(orders[i]));
        EXPECT_EQ(found == shippings.end() ? std::vector<std::string>{} : found->second, row.finalShippings)
            << row.queue << " " << row.body;
    }
    const std::string log = host_->log();
    EXPECT_EQ(log.find("dead-lettered"), std::string::npos) << "nothing the original sends is poison";
    EXPECT_EQ(log.find("retrying"), std::string::npos);
}

TEST_F(WorkflowCompatTest, BodiesTheOriginalCannotPublishAreDeadLetteredOnTheirFirstDelivery) {
    host_ = startHost(allInOneYaml());
    const std::string tag = uniqueName("compat-poison");
    OriginalPublisher original(amqpUrl());
    // Each body tagged apart: two entries may be the same JSON on two queues.
    const auto tagged = [&](std::size_t i) {
        return substitute(kPoisonBodies[i].body, "{tag}", tag + "-" + std::to_string(i));
    };
    for (std::size_t i = 0; i < kPoisonBodies.size(); ++i) {
        original.publish(exchangeOf(kPoisonBodies[i].queue), kPoisonBodies[i].queue, tagged(i));
    }
    // Ids a publisher may set to any 255 bytes: a log line or an inbox key must never carry them.
    BrokerClient broker;
    struct RefusedIds {
        host::AmqpMessageProperties properties;
        std::string body;
        std::string reason;
    };
    std::vector<RefusedIds> refused(3);
    refused[0].properties.messageId = "forged\n<0>" + tag;
    refused[0].reason = "message_id \"forged\\x0a<0>";
    refused[1].properties.messageId = uniqueName("ok");
    refused[1].properties.correlationId = "caf\xc3\xa9";
    refused[1].reason = "correlation_id \"caf\\xc3\\xa9\" is not printable ASCII";
    refused[2].properties.messageId = std::string("nul\0", 4) + tag;
    refused[2].reason = "message_id \"nul\\x00";
    for (std::size_t i = 0; i < refused.size(); ++i) {
        refused[i].body = R"({"id": 1, "order": 1, "status": 1, "tag": ")" + tag + std::to_string(i) + "\"}";
        broker.publish("shippings", "shippings.update", refused[i].body, refused[i].properties);
    }

    BrokerClient deadLetters;
    auto expectDeadLettered = [&](const std::string& queue, const std::string& body, const std::string& reason) {
        const auto dead = deadLetters.getMatching(
            kDeadLetterQueue, [&](const host::AmqpDelivery& d) { return d.body == body; }, 10s);
        ASSERT_TRUE(dead.has_value()) << "not dead-lettered: " << body;
        EXPECT_EQ(dead->properties.headers.at("x-source-queue"), queue);
        EXPECT_NE(dead->properties.headers.at("x-death-reason").find(reason), std::string::npos)
            << dead->properties.headers.at("x-death-reason") << " for " << body;
    };
    for (std::size_t i = 0; i < kPoisonBodies.size(); ++i) {
        expectDeadLettered(kPoisonBodies[i].queue, tagged(i), kPoisonBodies[i].reason);
    }
    for (const RefusedIds& ids : refused) {
        expectDeadLettered("shippings.update", ids.body, ids.reason);
    }
    const std::string log = host_->log();
    EXPECT_EQ(log.find("retrying"), std::string::npos) << "poison must not be retried";
    EXPECT_EQ(log.find("\n<0>" + tag), std::string::npos) << "a refused id split a log line";
    // The refusal escapes the id, and the log escapes the whole reason once more (\x5c is its
    // backslash): either way the newline is never a line break.
    EXPECT_NE(log.find("forged\\x5cx0a<0>" + tag), std::string::npos) << "the refused id is logged escaped";
    const HttpResult metrics = httpRequest(ordersPort_, "GET", "/metrics");
    for (const std::string& queue : kWorkflowQueues) {
        EXPECT_NE(metrics.body.find("micro_order_messages_retries_total{queue=\"" + queue + "\"} 0"), std::string::npos)
            << queue << "\n"
            << metrics.body;
    }
}

}  // namespace
}  // namespace micro_order::testing
