#pragma once

// JSON responses written straight into a string: building a Poco::JSON::Object per row and
// stringifying it was most of the CPU of a list request. The text is byte for byte what Poco 1.11
// stringify wrote (json_writer_test compares them), since clients compare exact bodies.

#include <cstdint>
#include <string>
#include <string_view>

namespace micro_order::rest {

/// Appends `text` quoted: \" and \\, \b \f \n \r \t, \u00XX (upper-case hex) for the other
/// control characters; everything else, '/', DEL and UTF-8 included, as is.
void appendJsonString(std::string& out, std::string_view text);

/// Appends `value` in decimal.
void appendJsonInt(std::string& out, std::int64_t value);

/// A compact JSON object, fields in the order they are written: '{' on construction, '}' on end().
class JsonObjectWriter {
public:
    explicit JsonObjectWriter(std::string& out);

    JsonObjectWriter& field(std::string_view key, std::int64_t value);
    JsonObjectWriter& field(std::string_view key, std::string_view value);
    void end();

private:
    void key(std::string_view key);

    std::string& out_;
    bool first_ = true;
};

}  // namespace micro_order::rest
