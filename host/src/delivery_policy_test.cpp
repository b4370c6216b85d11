#include "delivery_policy.hpp"

#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <micro_order/messaging.hpp>
#include <string>

namespace micro_order::host {
namespace {

template <typename Throw>
FailureKind kindOf(Throw doThrow) {
    try {
        doThrow();
    } catch (const std::exception& error) {
        return classifyFailure(error);
    }
    ADD_FAILURE() << "nothing was thrown";
    return FailureKind::kRetryable;
}

TEST(RefusedIdentifiers, PrintableAsciiIdsAndNoIdsAreTaken) {
    EXPECT_EQ(refusedIdentifiers("", ""), std::nullopt);
    EXPECT_EQ(refusedIdentifiers("9b2f0c1e-4a7d-4e1a-9a52-0d9c6d2f3b10", "order 42: ~!@#$%^&*()"), std::nullopt);
}

TEST(RefusedIdentifiers, ControlBytesAndNonAsciiAreRefusedAndShownEscaped) {
    EXPECT_EQ(refusedIdentifiers("abc\n<0>forged", ""), "message_id \"abc\\x0a<0>forged\" is not printable ASCII");
    EXPECT_EQ(refusedIdentifiers("ok", "caf\xc3\xa9"), "correlation_id \"caf\\xc3\\xa9\" is not printable ASCII");
    EXPECT_EQ(refusedIdentifiers(std::string("a\0b", 3), ""), "message_id \"a\\x00b\" is not printable ASCII");
    EXPECT_TRUE(refusedIdentifiers("\x7f", "").has_value());
}

TEST(EscapeBytes, CutsLongValuesAndEscapesTheBackslash) {
    EXPECT_EQ(escapeBytes(std::string(100, 'a'), 4), "aaaa...");
    EXPECT_EQ(escapeBytes("a\\b"), "a\\x5cb");
}

TEST(ClassifyFailure, ParseAndRangeErrorsArePoisonAtOnce) {
    EXPECT_EQ(kindOf([] { throw PoisonMessage("unknown row"); }), FailureKind::kPoison);
    EXPECT_EQ(kindOf([] { Poco::JSON::Parser().parse("{nope"); }), FailureKind::kPoison);
    // What Poco throws converting 2^63 to an int64 (before this, five retries).
    EXPECT_EQ(kindOf([] { Poco::Dynamic::Var(Poco::UInt64(9223372036854775808ULL)).convert<Poco::Int64>(); }),
              FailureKind::kPoison);
    EXPECT_EQ(kindOf([] { (void)std::stoll("x"); }), FailureKind::kPoison);
    EXPECT_EQ(kindOf([] { (void)std::stoll("99999999999999999999"); }), FailureKind::kPoison);
}

TEST(ClassifyFailure, ABusyOrFullDatabaseIsTransientAndAnythingElseRetryable) {
    EXPECT_EQ(kindOf([] { throw Poco::Data::SQLite::DBLockedException("locked"); }), FailureKind::kTransient);
    EXPECT_EQ(kindOf([] { throw Poco::Data::SQLite::DatabaseFullException("full"); }), FailureKind::kTransient);
    EXPECT_EQ(kindOf([] { throw std::runtime_error("network"); }), FailureKind::kRetryable);
    EXPECT_EQ(kindOf([] { throw Poco::IOException("socket"); }), FailureKind::kRetryable);
}

}  // namespace
}  // namespace micro_order::host
