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

}  // namespace
}  // namespace micro_order::consumers
