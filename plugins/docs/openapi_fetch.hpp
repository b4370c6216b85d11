#pragma once

#include <chrono>
#include <string>

#include "docs/docs_config.hpp"

namespace micro_order::docs {

/// Largest document accepted from a service.
inline constexpr std::size_t kMaxDocumentBytes = 4 * 1024 * 1024;

/// GETs the source's document now, on a fresh connection with `timeout` for connecting, sending
/// and each receive, and returns its body, which must be a JSON object. Anything else (no
/// connection, a timeout, a status other than 200, a body that is not a JSON object or is larger
/// than kMaxDocumentBytes) throws HttpError 502 {"detail": "<name>: <url>: <reason>"}.
std::string fetchOpenApi(const DocsSource& source, std::chrono::milliseconds timeout);

}  // namespace micro_order::docs
