#pragma once

// Between the parsed HTTP message and the plugin's handler: the SDK's Request built from what
// Beast parsed, and the handler run the way every handler runs (errors become JSON answers).

#include <Poco/Logger.h>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <map>
#include <micro_order/http.hpp>
#include <string>
#include <utility>  // before Asio/Beast, see io_loops.hpp

#include "http/request_target.hpp"

namespace micro_order::host {

/// The handler's view of a request: decoded target, path parameters, header names in lower
/// case (the last of repeated ones), the media type alone, the body moved out of `message`.
/// `baseUrl` is the listener's public_url, never the Host header.
Request makeRequest(boost::beast::http::request<boost::beast::http::string_body>& message, RequestTarget target,
                    std::map<std::string, std::string> pathParams, const std::string& baseUrl);

/// Runs `handler`: an HttpError becomes its status with its body or `{"detail": message}`;
/// anything else a logged 500 that tells the client nothing of our internals.
Response callHandler(const Handler& handler, const Request& request, Poco::Logger& logger);

}  // namespace micro_order::host
