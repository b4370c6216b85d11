#pragma once

#include <string>

namespace micro_order::testing {

/// A RabbitMQ vhost of one test's own (scripts/test-vhost.sh, so rabbitmqctl must reach the
/// broker), deleted with the object: for a test that empties shared queues such as the
/// dead-letter queue, or runs the workflow without holding the `workflow_queues` lock.
class TestVhost {
public:
    /// `name` gets the process id appended.
    explicit TestVhost(const std::string& name);
    ~TestVhost();
    TestVhost(const TestVhost&) = delete;
    TestVhost& operator=(const TestVhost&) = delete;

    /// amqpUrl() with this vhost instead of the run's.
    const std::string& url() const { return url_; }

private:
    std::string name_;
    std::string url_;
};

/// Runs `command` through /bin/bash -c to completion (at most `timeoutSeconds`); its exit code.
int runShell(const std::string& command, std::string* output = nullptr, int timeoutSeconds = 60);

}  // namespace micro_order::testing
