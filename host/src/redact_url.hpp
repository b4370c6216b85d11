#pragma once

#include <string>
#include <string_view>

namespace micro_order::host {

/// `url` fit for a message or a log line: everything between `://` and the last `@` becomes
/// `***`, so `amqp://app:s3cret@broker/vh` prints as `amqp://***@broker/vh`.
///
/// It works on the text, not on a parsed URL, so a URL that does not parse (a password holding
/// an unescaped `/` or `@`, a missing `:` after the scheme) loses its password too: with no
/// `://`, everything before the last `@` goes. Every message that shows a URL shows it through
/// this function. A list of broker nodes (splitBrokerUrls) is redacted node by node, or as one
/// text when any node does not parse.
std::string redactUrl(std::string_view url);

/// A PostgreSQL connection string fit for a message or a log line, in either of libpq's forms:
/// a URI (`postgresql://app:pw@db/orders?sslpassword=x`: the user info as redactUrl() does, and
/// the values of `password` and `sslpassword` parameters) or key=value words (`host=db
/// password='p w'`: the values of those keys, quoted or not, become `***`). A text that does not
/// read as either (an unclosed quote) is hidden whole when it mentions a password.
std::string redactDatabaseUrl(std::string_view url);

}  // namespace micro_order::host
