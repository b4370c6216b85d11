#pragma once

#include <string_view>

namespace micro_order::docs {

/// The documentation page: one self-contained HTML document (inline CSS and script, no other
/// origin) that fetches GET /openapi/ and each GET /openapi/<name>.json from its own origin and
/// renders every route. Script errors are recorded in its <pre id="errors">, which stays empty
/// when all is well (the Chromium test reads it).
std::string_view docsPage();

}  // namespace micro_order::docs
