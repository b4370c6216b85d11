#include "orders/order_repository.hpp"

#include <Poco/Data/Statement.h>

#include "orders/order_events.hpp"
#include "rest/last_insert_id.hpp"
#include "rest/timestamp.hpp"

namespace micro_order::orders {

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

namespace {

constexpr const char* kSelectOrders = "SELECT id, status, customer, made_at FROM orders_order";

struct OrderRows {
    std::vector<Poco::Int64> ids;
    std::vector<int> statuses;
    std::vector<Poco::Int64> customers;
    std::vector<std::string> madeAts;

    void addExtractions(Poco::Data::Statement& statement) {
        statement.addExtract(into(ids));
        statement.addExtract(into(statuses));
        statement.addExtract(into(customers));
        statement.addExtract(into(madeAts));
    }

    std::vector<Order> toOrders() const {
        std::vector<Order> orders;
        orders.reserve(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            orders.push_back(Order{ids[i], orderStatusFromInt(statuses[i]), customers[i], madeAts[i]});
        }
        return orders;
    }
};

}  // namespace

Order insertOrder(Poco::Data::Session& session, std::int64_t customer, const std::string& madeAt) {
    constexpr auto kStatus = OrderStatus::kProcessing;
    session << "INSERT INTO orders_order (status, customer, made_at) VALUES (?, ?, ?)", bind(static_cast<int>(kStatus)),
        bind(static_cast<Poco::Int64>(customer)), bind(madeAt), now;
    return Order{rest::lastInsertId(session), kStatus, customer, madeAt};
}

std::optional<Order> findOrder(Poco::Data::Session& session, std::int64_t id) {
    OrderRows rows;
    Poco::Data::Statement select(session);
    select << kSelectOrders << " WHERE id = ?";
    rows.addExtractions(select);
    select.addBind(bind(static_cast<Poco::Int64>(id)));
    select.execute();
    auto orders = rows.toOrders();
    if (orders.empty()) {
        return std::nullopt;
    }
    return std::move(orders.front());
}

std::vector<Order> listOrders(Poco::Data::Session& session, const OrderFilter& filter, std::int64_t limit,
                              std::int64_t offset) {
    OrderRows rows;
    Poco::Data::Statement select(session);
    select << kSelectOrders;
    const char* glue = " WHERE ";
    if (filter.status) {
        select << glue << "status = ?";
        select.addBind(bind(static_cast<int>(*filter.status)));
        glue = " AND ";
    }
    if (filter.customer) {
        select << glue << "customer = ?";
        select.addBind(bind(static_cast<Poco::Int64>(*filter.customer)));
    }
    select << " ORDER BY id LIMIT ? OFFSET ?";
    select.addBind(bind(static_cast<Poco::Int64>(limit)));
    select.addBind(bind(static_cast<Poco::Int64>(offset)));
    rows.addExtractions(select);
    select.execute();
    return rows.toOrders();
}

bool setOrderStatus(Poco::Data::Session& session, std::int64_t orderId, OrderStatus status) {
    Poco::Data::Statement update(session);
    update << "UPDATE orders_order SET status = ? WHERE id = ?", bind(static_cast<int>(status)),
        bind(static_cast<Poco::Int64>(orderId));
    return update.execute() > 0;
}

Order OrderRepository::create(const NewOrder& order) {
    Order created;
    database_.transact([&](Transaction& tx) {
        created = insertOrder(tx.session(), order.customer, rest::nowRfc3339());
        tx.publish(orderCreatedMessage(created));
    });
    return created;
}

std::optional<Order> OrderRepository::find(std::int64_t id) {
    std::optional<Order> order;
    database_.read([&](Poco::Data::Session& session) { order = findOrder(session, id); });
    return order;
}

std::vector<Order> OrderRepository::list(const OrderFilter& filter, std::int64_t limit, std::int64_t offset) {
    std::vector<Order> orders;
    database_.read([&](Poco::Data::Session& session) { orders = listOrders(session, filter, limit, offset); });
    return orders;
}

}  // namespace micro_order::orders
