#include "customers/customer_json.hpp"

#include <gtest/gtest.h>

namespace micro_order::customers {
namespace {

TEST(RenderCustomer, RendersTheContractBody) {
    EXPECT_EQ(customerJson(Customer{1, "user@email.com", "Moutain View, 33"}),
              R"({"id":1,"email":"user@email.com","address":"Moutain View, 33"})");
}

TEST(RenderCustomer, EscapesQuotesAndKeepsUtf8) {
    EXPECT_EQ(customerJson(Customer{42, "a@b.co", "Rua \"São\" João\\1"}),
              R"({"id":42,"email":"a@b.co","address":"Rua \"São\" João\\1"})");
}

}  // namespace
}  // namespace micro_order::customers
