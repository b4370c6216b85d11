#include "support/http_client.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <sstream>
#include <stdexcept>

namespace micro_order::testing {

std::string HttpResult::header(const std::string& name) const {
    auto it = headers.find(Poco::toLower(name));
    return it == headers.end() ? std::string() : it->second;
}

HttpClient::HttpClient(const std::string& host, unsigned short port, std::chrono::milliseconds timeout)
    : session_(host, port) {
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000));
}

HttpResult HttpClient::request(const std::string& method, const std::string& path, const std::string& body,
                               const std::string& contentType, const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    for (const auto& [name, value] : headers) {
        request.set(name, value);
    }
    const bool bodyless = body.empty() && (method == "GET" || method == "HEAD" || method == "DELETE");
    if (!bodyless) {
        request.setContentType(contentType);
        request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    std::ostream& out = session_.sendRequest(request);
    out << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session_.receiveResponse(response);
    HttpResult result;
    result.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, result.body);
    for (const auto& [name, value] : response) {
        result.headers[Poco::toLower(name)] = value;
    }
    result.contentType = response.getContentType();
    return result;
}

unsigned short HttpClient::localPort() { return session_.socket().address().port(); }

HttpResult httpRequest(unsigned short port, const std::string& method, const std::string& path, const std::string& body,
                       const std::string& contentType) {
    HttpClient client(port);
    return client.request(method, path, body, contentType);
}

Poco::JSON::Object::Ptr json(const std::string& body) {
    try {
        auto value = Poco::JSON::Parser().parse(body);
        if (auto object = value.extract<Poco::JSON::Object::Ptr>()) {
            return object;
        }
    } catch (const Poco::Exception&) {
    }
    throw std::runtime_error("not a JSON object: " + body);
}

Poco::JSON::Array::Ptr jsonArray(const std::string& body) {
    try {
        auto value = Poco::JSON::Parser().parse(body);
        if (auto array = value.extract<Poco::JSON::Array::Ptr>()) {
            return array;
        }
    } catch (const Poco::Exception&) {
    }
    throw std::runtime_error("not a JSON array: " + body);
}

}  // namespace micro_order::testing
