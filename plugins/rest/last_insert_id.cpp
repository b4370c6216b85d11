#include "rest/last_insert_id.hpp"

namespace micro_order::rest {

std::int64_t lastInsertId(Poco::Data::Session& session) {
    using Poco::Data::Keywords::into;
    using Poco::Data::Keywords::now;
    Poco::Int64 id = 0;
    session << "SELECT last_insert_rowid()", into(id), now;
    return id;
}

}  // namespace micro_order::rest
