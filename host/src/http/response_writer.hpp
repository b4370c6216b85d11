#pragma once

#include <micro_order/http.hpp>
#include <string>
#include <string_view>

namespace micro_order::host {

/// What the connection decides about a response, besides the response itself.
struct ResponseFraming {
    bool keepAlive = true;  ///< `Connection: Keep-Alive`, else `Connection: close`
    bool headOnly = false;  ///< HEAD: the GET's headers and Content-Length, no body
};

/// Writes `response` into `out` (cleared first) as the exact bytes to send: status line, our
/// Content-Type, Content-Length, Date and Connection, the handler's headers, the body. One
/// buffer, so a small response leaves in one send().
///
/// The headers we send are ours: a header name that is not an RFC 9110 token, a name or value
/// (or content type) with a CR, LF or NUL byte, a framing header a handler must not set
/// (Content-Length, Transfer-Encoding, Connection) or a status outside 100-599 is refused.
/// Then `out` is left empty and the reason is returned (without the offending bytes, for the
/// log); an empty string means written.
std::string writeResponse(const Response& response, const ResponseFraming& framing, std::string& out);

/// `{"detail": "..."}` with `status`, the JSON every error of the host has.
Response detailResponse(int status, std::string_view detail);

/// `text` as a JSON string literal, quotes included.
std::string jsonString(std::string_view text);

/// The IMF-fixdate for the Date header, formatted once a second per thread.
std::string_view httpDate();

}  // namespace micro_order::host
