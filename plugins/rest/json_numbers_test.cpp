#include "rest/json_numbers.hpp"

#include <gtest/gtest.h>

namespace micro_order::rest {
namespace {

TEST(FirstIntegerBeyondInt64, EveryInt64FitsWhateverTheSeparators) {
    EXPECT_EQ(firstIntegerBeyondInt64(R"({"id": 9223372036854775807, "customer": -9223372036854775808})"),
              std::nullopt);
    EXPECT_EQ(firstIntegerBeyondInt64(R"({"id":1,"customer":0})"), std::nullopt);
    EXPECT_EQ(firstIntegerBeyondInt64(R"([1.5e300, -2E-7, 0.99999999999999999999999])"), std::nullopt);
}

TEST(FirstIntegerBeyondInt64, NamesTheFirstIntegerOutsideTheRange) {
    EXPECT_EQ(firstIntegerBeyondInt64(R"({"id": 9223372036854775808})"), "9223372036854775808");
    EXPECT_EQ(firstIntegerBeyondInt64(R"({"id": 1, "customer": 18446744073709551617})"), "18446744073709551617");
    EXPECT_EQ(firstIntegerBeyondInt64(R"([-9223372036854775809])"), "-9223372036854775809");
    EXPECT_EQ(firstIntegerBeyondInt64("[" + std::string(100, '9') + "]"), std::string(40, '9'));
}

TEST(FirstIntegerBeyondInt64, DigitsInsideStringsAreNotNumbers) {
    EXPECT_EQ(firstIntegerBeyondInt64(R"({"a": "99999999999999999999", "b": "\"99999999999999999999"})"), std::nullopt);
    EXPECT_EQ(firstIntegerBeyondInt64(R"({"a": "x\\", "b": 99999999999999999999})"), "99999999999999999999");
}

TEST(FirstIntegerBeyondInt64, ExponentDigitsAreNotAnotherNumber) {
    EXPECT_EQ(firstIntegerBeyondInt64("[1e99999999999999999999]"), std::nullopt);
}

}  // namespace
}  // namespace micro_order::rest
