#include "micro_order/testing/test_database.hpp"

#include <stdexcept>

#include "test_database_backend.hpp"

namespace micro_order::testing {
namespace {

class TestTransaction : public Transaction {
public:
    TestTransaction(host::DatabaseConnection& connection, bool failPublishing)
        : connection_(connection), failPublishing_(failPublishing) {}

    Statement& statement(std::string_view sql) override { return connection_.statement(sql); }
    void publish(const OutgoingMessage& message) override {
        if (failPublishing_) {
            throw std::runtime_error("publish failed (test)");
        }
        pending_.push_back(message);
    }
    std::vector<OutgoingMessage>& pending() { return pending_; }

private:
    host::DatabaseConnection& connection_;
    bool failPublishing_;
    std::vector<OutgoingMessage> pending_;
};

}  // namespace

TestDatabase::TestDatabase(std::unique_ptr<Backend> backend) : backend_(std::move(backend)) {}

TestDatabase::~TestDatabase() = default;

void TestDatabase::closeConnection() { backend_.reset(); }

const std::string& TestDatabase::connector() const { return backend_->connector(); }

void TestDatabase::read(const std::function<void(Connection&)>& work) {
    host::DatabaseConnection& connection = backend_->connection();
    try {
        work(connection);
    } catch (...) {
        connection.resetStatements();
        throw;
    }
    connection.resetStatements();
}

void TestDatabase::transact(const std::function<void(Transaction&)>& work) {
    // The host runs a work again when another work of its batch failed, the file was busy or
    // the server reported a serialization failure: a first run that is thrown away makes a work
    // that is not safe to repeat fail here.
    runTransaction(work, false);
    runTransaction(work, true);
}

void TestDatabase::runTransaction(const std::function<void(Transaction&)>& work, bool commit) {
    host::DatabaseConnection& connection = backend_->connection();
    TestTransaction transaction(connection, failPublishing_);
    connection.execute(backend_->beginWrite());
    try {
        work(transaction);
    } catch (...) {
        connection.resetStatements();
        if (connection.inTransaction()) {
            connection.execute("ROLLBACK");
        }
        throw;
    }
    connection.resetStatements();
    if (!commit) {
        connection.execute("ROLLBACK");
        return;
    }
    connection.execute("COMMIT");
    published_.insert(published_.end(), transaction.pending().begin(), transaction.pending().end());
}

void TestDatabase::migrate(const std::string& component, const std::vector<Migration>& steps) {
    migrated_.push_back(component);
    for (const auto& step : steps) {
        for (const auto& statement : step.statements) {
            backend_->connection().executeOnce(backend_->migrationStatement(statement));
        }
    }
}

void TestDatabase::execute(const std::string& sql) { backend_->connection().executeOnce(sql); }

std::vector<std::string> TestDatabase::indexNames(const std::string& table) {
    std::vector<std::string> names;
    read([&](Connection& connection) {
        Statement& query = connection.statement(backend_->indexQuery());
        query.bind(1, table);
        while (query.step()) {
            names.push_back(query.text(0));
        }
    });
    return names;
}

}  // namespace micro_order::testing
