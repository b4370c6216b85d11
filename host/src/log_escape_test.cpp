#include "log_escape.hpp"

#include <Poco/Message.h>
#include <Poco/PatternFormatter.h>
#include <gtest/gtest.h>

#include "systemd_log_formatter.hpp"

namespace micro_order::host {
namespace {

TEST(EscapeForLog, ControlBytesAndBackslashesBecomeHex) {
    EXPECT_EQ(escapeForLog("a\nb\rc\td\x1b[31m\x7f"), "a\\x0ab\\x0dc\\x09d\\x1b[31m\\x7f");
    EXPECT_EQ(escapeForLog(std::string("nul\0byte", 8)), "nul\\x00byte");
    EXPECT_EQ(escapeForLog("C:\\x0a is no newline"), "C:\\x5cx0a is no newline");  // unambiguous
}

TEST(EscapeForLog, AJournalPriorityCannotBeForged) {
    const std::string forged = escapeForLog("id-1\n<0>[host] disk on fire");
    EXPECT_EQ(forged, "id-1\\x0a<0>[host] disk on fire");
    EXPECT_EQ(forged.find('\n'), std::string::npos);
}

TEST(EscapeForLog, Utf8StaysReadableButNotWhatBreaksLines) {
    EXPECT_EQ(escapeForLog("Mountain Viéw, 33 — 東京 🚚"), "Mountain Viéw, 33 — 東京 🚚");
    EXPECT_EQ(escapeForLog("next\xc2\x85line"), "next\\xc2\\x85line");             // NEL, a C1 control
    EXPECT_EQ(escapeForLog("para\xe2\x80\xa8graph"), "para\\xe2\\x80\\xa8graph");  // U+2028
    EXPECT_EQ(escapeForLog("bad \xff\xc3("), "bad \\xff\\xc3(");                   // not UTF-8
    EXPECT_EQ(escapeForLog("overlong \xc0\xaf"), "overlong \\xc0\\xaf");
}

TEST(EscapeForLog, LongValuesAreCutAndCounted) {
    EXPECT_EQ(escapeForLog(std::string(300, 'x')), std::string(200, 'x') + "…(+100 bytes)");
    EXPECT_EQ(escapeForLog("abcdef", 3), "abc…(+3 bytes)");
    // A character is shown whole or not at all.
    EXPECT_EQ(escapeForLog("ab東京", 4), "ab…(+6 bytes)");
    EXPECT_EQ(escapeForLog("short", 200), "short");
    // Escaping never makes the line unbounded: at most four characters per byte shown.
    EXPECT_LE(escapeForLog(std::string(100000, '\n')).size(), 200u * 4 + 20);
}

std::string formatted(Poco::Formatter* inner, const std::string& text) {
    OneLineFormatter formatter{Poco::AutoPtr<Poco::Formatter>(inner)};
    std::string line;
    formatter.format(Poco::Message("orders_create", text, Poco::Message::PRIO_ERROR), line);
    return line;
}

TEST(OneLineFormatter, KeepsAJournalEntryOnOneLine) {
    EXPECT_EQ(formatted(new SystemdLogFormatter, "dead-lettered message=x\n<0>forged"),
              "<3>[orders_create] dead-lettered message=x\\x0a<0>forged");
}

TEST(OneLineFormatter, KeepsAConsoleLineOnOneLineAndLeavesCleanTextAlone) {
    EXPECT_EQ(formatted(new Poco::PatternFormatter("%p [%s] %t"), "a\r\nb"), "Error [orders_create] a\\x0d\\x0ab");
    EXPECT_EQ(formatted(new Poco::PatternFormatter("%t"), "déjà vu"), "déjà vu");
}

}  // namespace
}  // namespace micro_order::host
