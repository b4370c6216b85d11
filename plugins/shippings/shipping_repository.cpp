#include "shippings/shipping_repository.hpp"

#include <Poco/Data/Statement.h>

#include "rest/last_insert_id.hpp"
#include "rest/timestamp.hpp"

namespace micro_order::shippings {

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

namespace {

constexpr const char* kSelectShippings = "SELECT id, order_id, status, shipped_at FROM shippings_shipping";

struct ShippingRows {
    std::vector<Poco::Int64> ids;
    std::vector<Poco::Int64> orders;
    std::vector<int> statuses;
    std::vector<std::string> shippedAts;

    void addExtractions(Poco::Data::Statement& statement) {
        statement.addExtract(into(ids));
        statement.addExtract(into(orders));
        statement.addExtract(into(statuses));
        statement.addExtract(into(shippedAts));
    }

    std::vector<Shipping> toShippings() const {
        std::vector<Shipping> shippings;
        shippings.reserve(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            shippings.push_back(Shipping{ids[i], orders[i], shippingStatusFromInt(statuses[i]), shippedAts[i]});
        }
        return shippings;
    }
};

// The one shipping whose `column` equals `value`, or nullopt.
std::optional<Shipping> findOneBy(Poco::Data::Session& session, const char* column, std::int64_t value) {
    ShippingRows rows;
    Poco::Data::Statement select(session);
    select << kSelectShippings << " WHERE " << column << " = ?";
    rows.addExtractions(select);
    select.addBind(bind(static_cast<Poco::Int64>(value)));
    select.execute();
    auto shippings = rows.toShippings();
    if (shippings.empty()) {
        return std::nullopt;
    }
    return std::move(shippings.front());
}

}  // namespace

Shipping createShippingForOrder(Poco::Data::Session& session, std::int64_t orderId) {
    if (auto existing = findShippingByOrder(session, orderId)) {
        return std::move(*existing);
    }
    constexpr auto kStatus = ShippingStatus::kProcessing;
    const auto shippedAt = rest::nowRfc3339();
    session << "INSERT INTO shippings_shipping (order_id, status, shipped_at) VALUES (?, ?, ?)",
        bind(static_cast<Poco::Int64>(orderId)), bind(static_cast<int>(kStatus)), bind(shippedAt), now;
    return Shipping{rest::lastInsertId(session), orderId, kStatus, shippedAt};
}

std::optional<Shipping> setShippingStatus(Poco::Data::Session& session, std::int64_t shippingId,
                                          ShippingStatus status) {
    Poco::Data::Statement update(session);
    update << "UPDATE shippings_shipping SET status = ? WHERE id = ?", bind(static_cast<int>(status)),
        bind(static_cast<Poco::Int64>(shippingId));
    if (update.execute() == 0) {
        return std::nullopt;
    }
    return findShipping(session, shippingId);
}

std::optional<Shipping> findShipping(Poco::Data::Session& session, std::int64_t id) {
    return findOneBy(session, "id", id);
}

std::optional<Shipping> findShippingByOrder(Poco::Data::Session& session, std::int64_t orderId) {
    return findOneBy(session, "order_id", orderId);
}

std::vector<Shipping> listShippings(Poco::Data::Session& session, const ShippingFilter& filter, std::int64_t limit,
                                    std::int64_t offset) {
    ShippingRows rows;
    Poco::Data::Statement select(session);
    select << kSelectShippings;
    const char* glue = " WHERE ";
    if (filter.status) {
        select << glue << "status = ?";
        select.addBind(bind(static_cast<int>(*filter.status)));
        glue = " AND ";
    }
    if (filter.order) {
        select << glue << "order_id = ?";
        select.addBind(bind(static_cast<Poco::Int64>(*filter.order)));
    }
    select << " ORDER BY id LIMIT ? OFFSET ?";
    select.addBind(bind(static_cast<Poco::Int64>(limit)));
    select.addBind(bind(static_cast<Poco::Int64>(offset)));
    rows.addExtractions(select);
    select.execute();
    return rows.toShippings();
}

std::optional<Shipping> ShippingRepository::find(std::int64_t id) {
    std::optional<Shipping> shipping;
    database_.read([&](Poco::Data::Session& session) { shipping = findShipping(session, id); });
    return shipping;
}

std::vector<Shipping> ShippingRepository::list(const ShippingFilter& filter, std::int64_t limit, std::int64_t offset) {
    std::vector<Shipping> shippings;
    database_.read([&](Poco::Data::Session& session) { shippings = listShippings(session, filter, limit, offset); });
    return shippings;
}

}  // namespace micro_order::shippings
