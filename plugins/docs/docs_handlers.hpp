#pragma once

#include <chrono>
#include <functional>
#include <micro_order/http.hpp>
#include <string>

#include "docs/docs_config.hpp"

namespace micro_order::docs {

/// Gets a source's document now; throws HttpError 502 when it cannot (see fetchOpenApi).
using FetchDocument = std::function<std::string(const DocsSource&, std::chrono::milliseconds)>;

/// GET / (the page), GET /openapi/ (the source names) and GET /openapi/{name}.json (the source's
/// document, fetched at request time). Stateless: safe on concurrent worker threads.
class DocsHandlers {
public:
    DocsHandlers(DocsConfig config, FetchDocument fetch);

    Response page(const Request& request) const;
    Response names(const Request& request) const;
    Response document(const Request& request) const;

private:
    DocsConfig config_;
    FetchDocument fetch_;
};

/// Registers the three routes on `router`; `handlers` must outlive it.
void addDocsRoutes(Router& router, const DocsHandlers& handlers);

}  // namespace micro_order::docs
