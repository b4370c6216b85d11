#include "plugin_context.hpp"

#include <Poco/Data/SQLite/SQLiteException.h>
#include <gtest/gtest.h>

namespace micro_order::host {
namespace {

/// Keeps what the context registers, to call it as a listener would.
class RecordingRouter final : public Router {
public:
    void add(const std::string&, const std::string&, Handler handler, RouteOptions) override {
        handler_ = std::move(handler);
    }
    Response call() { return handler_(Request{}); }

private:
    Handler handler_;
};

class PluginContextTest : public ::testing::Test {
protected:
    Response answer(Handler handler) {
        context_.http().add("GET", "/x/", std::move(handler));
        return router_.call();
    }

    std::string header(const Response& response, const std::string& name) {
        for (const auto& [key, value] : response.headers) {
            if (key == name) {
                return value;
            }
        }
        return "";
    }

    RecordingRouter router_;
    BrokerTopology topology_;
    std::vector<ConsumerRequest> consumers_;
    PluginContext context_{"shop", nullptr, &router_, nullptr, topology_, consumers_};
};

TEST_F(PluginContextTest, AFullDatabaseIs503WithRetryAfterNamingTheDatabase) {
    const Response response = answer([](const Request&) -> Response {
        throw Poco::Data::SQLite::DatabaseFullException("database or disk is full");
    });
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(header(response, "Retry-After"), "5");
    EXPECT_EQ(response.body, R"({"detail":"Database \"(none)\" is unavailable (disk full); try again later."})");
}

TEST_F(PluginContextTest, ADatabaseStillBusyAfterItsRetriesIs503ForASecond) {
    const Response response =
        answer([](const Request&) -> Response { throw Poco::Data::SQLite::DBLockedException("database is locked"); });
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(header(response, "Retry-After"), "1");
    EXPECT_NE(response.body.find("(busy)"), std::string::npos) << response.body;
}

TEST_F(PluginContextTest, AnIntIs500AndOtherExceptionsGoToTheListenerAsTheyAre) {
    EXPECT_EQ(answer([](const Request&) -> Response { throw 3; }).status, 500);
    EXPECT_THROW(answer([](const Request&) -> Response { throw std::runtime_error("bug"); }), std::runtime_error);
    EXPECT_THROW(answer([](const Request&) -> Response { throw HttpError(418, "teapot"); }), HttpError);
}

}  // namespace
}  // namespace micro_order::host
