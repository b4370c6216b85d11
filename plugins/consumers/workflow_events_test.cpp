#include "workflow_events.hpp"

#include <gtest/gtest.h>

#include <micro_order/messaging.hpp>

namespace micro_order::consumers {
namespace {

std::string poisonReason(const std::function<void()>& parse) {
    try {
        parse();
    } catch (const PoisonMessage& poison) {
        return poison.what();
    }
    return "(accepted)";
}

TEST(WorkflowEvents, ParsesOrderCreatedAsTheOriginalSendsIt) {
    const OrderCreated event = parseOrderCreated(R"({"id": 7, "customer": 3})");
    EXPECT_EQ(event.order, 7);
    EXPECT_EQ(event.customer, 3);
}

TEST(WorkflowEvents, BodyThatIsNotJsonIsPoison) {
    EXPECT_NE(poisonReason([] { parseOrderCreated("not json"); }).find("not JSON"), std::string::npos);
}

TEST(WorkflowEvents, BodyThatIsNotAnObjectIsPoison) {
    EXPECT_EQ(poisonReason([] { parseOrderCreated("[1, 2]"); }), "body is not a JSON object");
}

TEST(WorkflowEvents, MissingFieldIsPoisonNamingTheField) {
    EXPECT_EQ(poisonReason([] { parseOrderCreated(R"({"id": 1})"); }), "field \"customer\" is missing");
}

TEST(WorkflowEvents, WrongTypeIsPoisonNamingTheField) {
    EXPECT_EQ(poisonReason([] { parseCustomerRequested(R"({"id": "1", "customer": 2})"); }),
              "field \"id\" is not an integer");
    EXPECT_EQ(poisonReason([] { parseCustomerRequested(R"({"id": 1.5, "customer": 2})"); }),
              "field \"id\" is not an integer");
    EXPECT_EQ(poisonReason([] { parseCustomerRequested(R"({"id": true, "customer": 2})"); }),
              "field \"id\" is not an integer");
}

TEST(WorkflowEvents, NonPositiveIdIsPoison) {
    EXPECT_EQ(poisonReason([] { parseOrderCreated(R"({"id": 0, "customer": 2})"); }),
              "field \"id\" must be at least 1");
}

TEST(WorkflowEvents, CustomerDetailWithEmptyCustomerMeansUnknownCustomer) {
    const CustomerDetailed event = parseCustomerDetailed(R"({"id": 4, "customer": {}})");
    EXPECT_EQ(event.shipping, 4);
    EXPECT_FALSE(event.customer.has_value());
}

TEST(WorkflowEvents, CustomerDetailCarriesEmailAndAddress) {
    const CustomerDetailed event =
        parseCustomerDetailed(R"({"id": 4, "customer": {"email": "a@b.c", "address": "Moutain View, 33"}})");
    ASSERT_TRUE(event.customer.has_value());
    EXPECT_EQ(event.customer->email, "a@b.c");
    EXPECT_EQ(event.customer->address, "Moutain View, 33");
}

TEST(WorkflowEvents, CustomerDetailWithCustomerNotAnObjectIsPoison) {
    EXPECT_EQ(poisonReason([] { parseCustomerDetailed(R"({"id": 4, "customer": 5})"); }),
              "field \"customer\" is not an object");
    EXPECT_EQ(poisonReason([] { parseCustomerDetailed(R"({"id": 4, "customer": {"email": "a@b.c"}})"); }),
              "field \"customer.address\" is missing");
}

TEST(WorkflowEvents, ShippingUpdateStatusMustBeSuccessOrFail) {
    EXPECT_EQ(parseShippingUpdated(R"({"id": 1, "order": 2, "status": 2})").status, 2);
    EXPECT_EQ(poisonReason([] { parseShippingUpdated(R"({"id": 1, "order": 2, "status": 3})"); }),
              "field \"status\" must be 1 (SUCCESS) or 2 (FAIL)");
}

TEST(WorkflowEvents, RendersBodiesExactlyAsTheOriginal) {
    EXPECT_EQ(render(CustomerRequested{5, 9}), R"({"id":5,"customer":9})");
    EXPECT_EQ(render(CustomerDetailed{5, CustomerDetail{"a@b.c", "Rua 1"}}),
              R"({"id":5,"customer":{"email":"a@b.c","address":"Rua 1"}})");
    EXPECT_EQ(render(CustomerDetailed{5, std::nullopt}), R"({"id":5,"customer":{}})");
    EXPECT_EQ(render(ShippingUpdated{5, 6, 1}), R"({"id":5,"order":6,"status":1})");
}

// What the original services publish (marshmallow's dumps: ", " and ": " separators, keys in
// schema order, non-ASCII as \u escapes) is read as they mean it.
TEST(WorkflowEvents, ReadsEveryBodyTheOriginalServicesCanPublish) {
    EXPECT_EQ(parseOrderCreated(R"({"id": 37, "customer": 0})").customer, 0);
    EXPECT_EQ(parseOrderCreated(R"({"id": 37, "customer": 2147483647})").customer, 2147483647);
    EXPECT_EQ(parseCustomerRequested(R"({"id": 5, "customer": 0})").customer, 0);
    EXPECT_EQ(parseShippingUpdated(R"({"id": 5, "order": 37, "status": 2})").order, 37);
    const CustomerDetailed ipv6 =
        parseCustomerDetailed(R"({"id": 5, "customer": {"email": "user@[::1]", "address": "Rua 1"}})");
    ASSERT_TRUE(ipv6.customer.has_value());
    EXPECT_EQ(ipv6.customer->email, "user@[::1]");
    const CustomerDetailed escaped = parseCustomerDetailed(
        R"({"id": 5, "customer": {"email": "j\u00fcrgen@b\u00fccher.example", "address": "Caixa \ud83d\udce6 \"3\""}})");
    ASSERT_TRUE(escaped.customer.has_value());
    EXPECT_EQ(escaped.customer->email,
              "j\xc3\xbcrgen@b\xc3\xbc"
              "cher.example");
    EXPECT_EQ(escaped.customer->address, "Caixa \xf0\x9f\x93\xa6 \"3\"");
    // Keys it might add later are no reason to refuse a message.
    EXPECT_EQ(parseOrderCreated(R"({"customer": 3, "id": 37, "made_at": "2020-05-22"})").order, 37);
    EXPECT_EQ(parseOrderCreated(" {\n\"id\" :37 ,\"customer\":3}\n").order, 37);
}

TEST(WorkflowEvents, IdsTheOriginalCannotProduceArePoison) {
    EXPECT_EQ(poisonReason([] { parseOrderCreated(R"({"id": -1, "customer": 2})"); }),
              "field \"id\" must be at least 1");
    EXPECT_EQ(poisonReason([] { parseOrderCreated(R"({"id": 1, "customer": -1})"); }),
              "field \"customer\" must be at least 0");
    EXPECT_EQ(poisonReason([] { parseCustomerRequested(R"({"id": 1, "customer": 2147483648})"); }),
              "field \"customer\" must be at most 2147483647");
    EXPECT_EQ(poisonReason([] { parseOrderCreated(R"({"id": 9223372036854775808, "customer": 1})"); }),
              "number 9223372036854775808 does not fit in 64 bits");
    // Poco alone reads 2^64 + 1 as 1: another order.
    EXPECT_EQ(poisonReason([] { parseShippingUpdated(R"({"id": 1, "order": 18446744073709551617, "status": 1})"); }),
              "number 18446744073709551617 does not fit in 64 bits");
    EXPECT_EQ(parseOrderCreated(R"({"id": 9223372036854775807, "customer": 1})").order, 9223372036854775807);
}

TEST(WorkflowEvents, TypesTheOriginalCannotProduceArePoison) {
    for (const char* body :
         {R"({"id": 1.0, "customer": 2})", R"({"id": 1e2, "customer": 2})", R"({"id": null, "customer": 2})",
          R"({"id": [1], "customer": 2})", R"({"id": {}, "customer": 2})"}) {
        EXPECT_EQ(poisonReason([&] { parseOrderCreated(body); }), "field \"id\" is not an integer") << body;
    }
    EXPECT_EQ(poisonReason([] { parseOrderCreated(R"({"id": 1, "customer": false})"); }),
              "field \"customer\" is not an integer");
    EXPECT_EQ(poisonReason([] { parseCustomerDetailed(R"({"id": 4, "customer": null})"); }),
              "field \"customer\" is not an object");
    EXPECT_EQ(poisonReason([] { parseCustomerDetailed(R"({"id": 4, "customer": []})"); }),
              "field \"customer\" is not an object");
    EXPECT_EQ(poisonReason([] { parseCustomerDetailed(R"({"id": 4, "customer": {"email": 5, "address": "x"}})"); }),
              "field \"customer.email\" is not a string");
    // The original's customers_detail worker crashes on an unknown shipping instead of sending {}.
    EXPECT_EQ(poisonReason([] { parseShippingUpdated("{}"); }), "field \"id\" is missing");
    EXPECT_EQ(poisonReason([] { parseShippingUpdated(R"({"id": 1, "order": 2, "status": 0})"); }),
              "field \"status\" must be 1 (SUCCESS) or 2 (FAIL)");
}

TEST(WorkflowEvents, UnreadableBodiesArePoisonNeverAnotherException) {
    EXPECT_EQ(poisonReason([] { parseOrderCreated(""); }).rfind("body is not JSON", 0), 0u);
    EXPECT_EQ(poisonReason([] { parseOrderCreated("null"); }).rfind("body is not", 0), 0u);
    EXPECT_EQ(poisonReason([] { parseOrderCreated(std::string(100000, '[')); }).rfind("body is not JSON", 0), 0u);
    EXPECT_EQ(poisonReason([] { parseOrderCreated("{\"id\": \"\xff\", \"customer\": 1}"); }).rfind("body is not", 0),
              0u);
    EXPECT_EQ(poisonReason([] {
                  parseCustomerDetailed(R"({"id": 4, "customer": {"email": "\ud83d", "address": ""}})");
              }).rfind("body is not JSON", 0),
              0u);
}

}  // namespace
}  // namespace micro_order::consumers
