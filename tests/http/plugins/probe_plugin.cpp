// test_probe: routes that make the HTTP front's limits observable, for tests/http.
//
//   GET|POST /echo/  and  GET /echo/{word}/   what the handler saw: method, path, base_url,
//                                              host header, body size (and body when small)
//   GET /big/{bytes}/                          a text/plain body of that many bytes
//   GET /sleep/{ms}/                           sleeps, then {"slept_ms": ms}
//   GET /bad-header/{kind}/                    a response header with CR, LF or NUL in its value
//                                              (kind: cr, lf, crlf, nul) or in its name (name)
//   GET /call/{port}/?path=/echo/              a blocking HTTP GET to 127.0.0.1:{port} from the
//                                              handler (as the docs plugin fetches /openapi.json)
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <chrono>
#include <micro_order/plugin.hpp>
#include <sstream>
#include <string>
#include <thread>

namespace {

using micro_order::HttpError;
using micro_order::Request;
using micro_order::Response;

constexpr std::size_t kEchoedBodyBytes = 4096;  // larger bodies are only counted
constexpr long long kMaxBigBytes = 64LL << 20;  // a test asks for a few MiB at most
constexpr long long kMaxSleepMs = 60000;

std::string stringify(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

long long numberParam(const Request& request, const std::string& name, long long max) {
    try {
        const long long value = std::stoll(request.pathParams.at(name));
        if (value >= 0 && value <= max) {
            return value;
        }
    } catch (const std::exception&) {
    }
    throw HttpError(400, name + " must be a number from 0 to " + std::to_string(max));
}

Response echo(const Request& request) {
    Poco::JSON::Object body;
    body.set("method", request.method);
    body.set("path", request.path);
    body.set("base_url", request.baseUrl);
    const auto host = request.headers.find("host");
    body.set("host", host == request.headers.end() ? std::string() : host->second);
    body.set("body_bytes", request.body.size());
    if (request.body.size() <= kEchoedBodyBytes) {
        body.set("body", request.body);
    }
    Poco::JSON::Object query;
    for (const auto& [key, value] : request.query) {
        query.set(key, value);
    }
    body.set("query", query);
    return Response::json(200, stringify(body));
}

Response badHeader(const Request& request) {
    const std::string& kind = request.pathParams.at("kind");
    Response response = Response::json(200, R"({"sent":"a bad header"})");
    if (kind == "cr") {
        response.headers.emplace_back("X-Probe", "injected\rSet-Cookie: injected=cr");
    } else if (kind == "lf") {
        response.headers.emplace_back("X-Probe", "injected\nSet-Cookie: injected=lf");
    } else if (kind == "crlf") {
        response.headers.emplace_back("X-Probe", "injected\r\nSet-Cookie: injected=crlf");
    } else if (kind == "nul") {
        response.headers.emplace_back("X-Probe", std::string("injected\0nul", 12));
    } else if (kind == "name") {
        response.headers.emplace_back("X-Probe\r\nSet-Cookie", "injected=name");
    } else {
        throw HttpError(404, "no such kind: " + kind);
    }
    return response;
}

Response callBack(const Request& request) {
    const auto port = static_cast<Poco::UInt16>(numberParam(request, "port", 65535));
    const std::string* path = request.queryValue("path");
    Poco::JSON::Object body;
    try {
        Poco::Net::HTTPClientSession session("127.0.0.1", port);
        session.setTimeout(Poco::Timespan(5, 0));
        Poco::Net::HTTPRequest call(Poco::Net::HTTPRequest::HTTP_GET, path ? *path : "/echo/",
                                    Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(call);
        Poco::Net::HTTPResponse response;
        std::string text;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
        body.set("status", static_cast<int>(response.getStatus()));
        body.set("body", text);
    } catch (const Poco::Exception& error) {
        // The test reads this when the listener it called did not answer in time.
        body.set("error", error.displayText());
        return Response::json(502, stringify(body));
    }
    return Response::json(200, stringify(body));
}

class ProbePlugin final : public micro_order::Plugin {
public:
    void start(micro_order::Context& context) override {
        auto& http = context.http();
        http.add("GET", "/echo/", echo);
        http.add("POST", "/echo/", echo);
        http.add("GET", "/echo/{word}/", echo);
        http.add("GET", "/big/{bytes}/", [](const Request& request) {
            Response response;
            response.contentType = "text/plain";
            response.body.assign(static_cast<std::size_t>(numberParam(request, "bytes", kMaxBigBytes)), 'x');
            return response;
        });
        http.add("GET", "/sleep/{ms}/", [](const Request& request) {
            const long long ms = numberParam(request, "ms", kMaxSleepMs);
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            Poco::JSON::Object body;
            body.set("slept_ms", ms);
            return Response::json(200, stringify(body));
        });
        http.add("GET", "/bad-header/{kind}/", badHeader);
        http.add("GET", "/call/{port}/", callBack);
    }
};

}  // namespace

MICRO_ORDER_PLUGIN("test_probe", ProbePlugin)
