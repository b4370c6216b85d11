#include "rest/path_id.hpp"

#include "rest/validation.hpp"

namespace micro_order::rest {

void throwNotFound() { throw HttpError(404, "Not found."); }

std::int64_t pathId(const Request& request, const std::string& name) {
    const auto it = request.pathParams.find(name);
    if (it == request.pathParams.end() || it->second.empty()) {
        throwNotFound();
    }
    const auto id = parseStrictInteger(it->second);
    if (!id || *id < 1) {
        throwNotFound();
    }
    return *id;
}

}  // namespace micro_order::rest
