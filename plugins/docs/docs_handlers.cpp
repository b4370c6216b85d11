#include "docs/docs_handlers.hpp"

#include <Poco/JSON/Array.h>

#include <sstream>

#include "docs/docs_page.hpp"

namespace micro_order::docs {

namespace {

constexpr std::string_view kJsonSuffix = ".json";

// The page may run its own inline script and style and talk to its own origin, nothing else.
constexpr const char* kPagePolicy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
    "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

[[noreturn]] void notFound() { throw HttpError(404, "Not found."); }

}  // namespace

DocsHandlers::DocsHandlers(DocsConfig config, FetchDocument fetch)
    : config_(std::move(config)), fetch_(std::move(fetch)) {}

Response DocsHandlers::page(const Request&) const {
    Response response;
    response.body = std::string(docsPage());
    response.contentType = "text/html; charset=utf-8";
    response.headers = {
        {"Content-Security-Policy", kPagePolicy}, {"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "no-cache"}};
    return response;
}

Response DocsHandlers::names(const Request&) const {
    Poco::JSON::Array names;
    for (const auto& source : config_.sources) {
        names.add(source.name);
    }
    std::ostringstream body;
    names.stringify(body);
    return Response::json(200, body.str());
}

Response DocsHandlers::document(const Request& request) const {
    const std::string& file = request.pathParams.at("file");
    if (file.size() <= kJsonSuffix.size() || !file.ends_with(kJsonSuffix)) {
        notFound();
    }
    const auto* source = findSource(config_, file.substr(0, file.size() - kJsonSuffix.size()));
    if (source == nullptr) {
        notFound();
    }
    auto response = Response::json(200, fetch_(*source, config_.timeout));
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

void addDocsRoutes(Router& router, const DocsHandlers& handlers) {
    router.add("GET", "/", [&handlers](const Request& request) { return handlers.page(request); });
    router.add("GET", "/openapi/", [&handlers](const Request& request) { return handlers.names(request); });
    router.add("GET", "/openapi/{file}", [&handlers](const Request& request) { return handlers.document(request); });
}

}  // namespace micro_order::docs
