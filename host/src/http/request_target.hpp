#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace micro_order::host {

/// A request target split and percent-decoded for the router and the handler.
struct RequestTarget {
    std::string path;                                        ///< decoded
    std::vector<std::pair<std::string, std::string>> query;  ///< decoded, `+` as space, in order
};

/// Decodes an origin-form target (`/orders/?status=%20x`) or the path of an absolute-form one
/// (`http://host/orders/`, RFC 9112 §3.2.2). nullopt for a target that is neither, or a bad
/// percent-encoding (`%zz`, a lone `%`) anywhere in it: the client's error, answered 400.
std::optional<RequestTarget> decodeRequestTarget(std::string_view target);

}  // namespace micro_order::host
