#include "docs/openapi_fetch.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Timespan.h>

#include <fstream>
#include <istream>
#include <micro_order/http.hpp>
#include <optional>

namespace micro_order::docs {

namespace {

[[noreturn]] void unavailable(const DocsSource& source, const std::string& why) {
    throw HttpError(502, source.name + ": " + source.url.toString() + ": " + why);
}

// The body, or an empty optional when it is larger than `limit`.
std::optional<std::string> readLimited(std::istream& in, std::size_t limit) {
    std::string body;
    char buffer[8192];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (body.size() > limit) {
            return std::nullopt;
        }
    }
    return body;
}

/// The first line of the token file that is neither blank nor a `#` comment, trimmed.
std::string readToken(const DocsSource& source) {
    std::ifstream in(source.tokenFile);
    std::string line;
    while (in && std::getline(in, line)) {
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#') {
            continue;
        }
        return line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    }
    unavailable(source, "no token in token_file " + source.tokenFile);
}

}  // namespace

std::string fetchOpenApi(const DocsSource& source, std::chrono::milliseconds timeout) {
    const Poco::Timespan span(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count());
    std::optional<std::string> body;
    Poco::Net::HTTPResponse response;
    try {
        Poco::Net::HTTPClientSession session(source.url.getHost(), source.url.getPort());
        session.setTimeout(span, span, span);
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, source.url.getPathEtc(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Accept", "application/json");
        if (!source.tokenFile.empty()) {
            request.set("Authorization", "Bearer " + readToken(source));
        }
        session.sendRequest(request);
        body = readLimited(session.receiveResponse(response), kMaxDocumentBytes);
    } catch (const Poco::TimeoutException&) {
        unavailable(source, "no answer within " + std::to_string(timeout.count()) + " ms");
    } catch (const Poco::Exception& error) {
        unavailable(source, error.displayText());
    }
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
        unavailable(source,
                    "answered " + std::to_string(static_cast<int>(response.getStatus())) + " " + response.getReason());
    }
    if (!body) {
        unavailable(source, "the document is larger than " + std::to_string(kMaxDocumentBytes) + " bytes");
    }
    try {
        if (Poco::JSON::Parser().parse(*body).type() != typeid(Poco::JSON::Object::Ptr)) {
            unavailable(source, "the document is not a JSON object");
        }
    } catch (const Poco::Exception& error) {
        unavailable(source, "the document is not JSON: " + error.message());
    }
    return std::move(*body);
}

}  // namespace micro_order::docs
