#include "http/response_writer.hpp"

#include <array>
#include <boost/beast/http/status.hpp>
#include <charconv>
#include <chrono>
#include <ctime>

namespace micro_order::host {
namespace {

bool isTokenChar(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return true;
    }
    return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool isToken(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return isTokenChar(c); });
}

/// CR and LF would end the header (response splitting); NUL is cut by some clients.
bool isSafeValue(std::string_view text) { return text.find_first_of(std::string_view("\r\n\0", 3)) == text.npos; }

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

/// The header name, printable for a log line (a bad one may hold anything).
std::string printable(std::string_view text) {
    std::string out;
    for (unsigned char c : text.substr(0, 64)) {
        out += c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
    }
    return out;
}

std::string checkHeaders(const Response& response) {
    if (response.status < 100 || response.status > 599) {
        return "status " + std::to_string(response.status) + " is not between 100 and 599";
    }
    if (!isSafeValue(response.contentType)) {
        return "the content type holds a CR, LF or NUL byte";
    }
    for (const auto& [name, value] : response.headers) {
        if (!isToken(name)) {
            return "header name '" + printable(name) + "' is not a token (or holds a CR, LF or NUL byte)";
        }
        if (!isSafeValue(value)) {
            return "the value of header '" + name + "' holds a CR, LF or NUL byte";
        }
        for (std::string_view ours : {"Content-Length", "Transfer-Encoding", "Connection"}) {
            if (equalsIgnoreCase(name, ours)) {
                return "header '" + name + "' is the host's to set";
            }
        }
    }
    return {};
}

void appendNumber(std::string& out, std::uint64_t value) {
    std::array<char, 24> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
    out.append(digits.data(), end);
}

void appendHeader(std::string& out, std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

std::string writeResponse(const Response& response, const ResponseFraming& framing, std::string& out) {
    out.clear();
    if (std::string problem = checkHeaders(response); !problem.empty()) {
        return problem;
    }
    std::size_t size = 160 + response.contentType.size() + (framing.headOnly ? 0 : response.body.size());
    for (const auto& [name, value] : response.headers) {
        size += name.size() + value.size() + 4;
    }
    out.reserve(size);
    out += "HTTP/1.1 ";
    appendNumber(out, static_cast<std::uint64_t>(response.status));
    out += ' ';
    const auto reason = boost::beast::http::obsolete_reason(boost::beast::http::int_to_status(response.status));
    if (!reason.starts_with('<')) {  // "<unknown-status>": a reason phrase may be empty
        out.append(reason.data(), reason.size());
    }
    out += "\r\n";
    if (!response.contentType.empty()) {
        appendHeader(out, "Content-Type", response.contentType);
    }
    out += "Content-Length: ";
    appendNumber(out, response.body.size());
    out += "\r\n";
    appendHeader(out, "Date", httpDate());
    appendHeader(out, "Connection", framing.keepAlive ? "Keep-Alive" : "close");
    for (const auto& [name, value] : response.headers) {
        appendHeader(out, name, value);
    }
    out += "\r\n";
    if (!framing.headOnly) {
        out += response.body;
    }
    return {};
}

std::string jsonString(std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + '"';
}

Response detailResponse(int status, std::string_view detail) {
    return Response::json(status, "{\"detail\":" + jsonString(detail) + "}");
}

std::string_view httpDate() {
    thread_local std::time_t formattedFor = 0;
    thread_local std::array<char, 40> text{};
    thread_local std::size_t length = 0;
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    if (now != formattedFor) {
        std::tm utc{};
        gmtime_r(&now, &utc);
        length = std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
        formattedFor = now;
    }
    return {text.data(), length};
}

}  // namespace micro_order::host
