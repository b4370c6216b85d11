#pragma once

// A real host running the docs plugin beside the service plugins whose documents it shows, on
// loopback ports. The service plugins declare the workflow queues and the orders plugin
// publishes into them, so these tests hold RESOURCE_LOCK workflow_queues as tests/services do and
// start with those queues empty.

#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "services/services_fixture.hpp"

namespace micro_order::testing {

/// One `sources:` entry of the docs plugin: a name and the port whose /openapi.json it reads.
using DocsSourcePort = std::pair<std::string, unsigned short>;

/// A free port on 127.0.0.1 that is none of `taken`.
inline unsigned short freePortOtherThan(const std::set<unsigned short>& taken) {
    for (;;) {
        const unsigned short port = freePort();
        if (taken.count(port) == 0) {
            return port;
        }
    }
}

/// The docs instance on `port`, reading the documents of `sources` (no database).
inline std::string docsInstanceYaml(unsigned short port, const std::vector<DocsSourcePort>& sources) {
    std::string yaml = "  - name: docs\n    library: docs\n    listen: 127.0.0.1:" + std::to_string(port) +
                       "\n    config:\n      timeout_ms: 2000\n      sources:\n";
    for (const auto& [name, sourcePort] : sources) {
        yaml += "        - name: " + name + "\n          url: http://127.0.0.1:" + std::to_string(sourcePort) +
                "/openapi.json\n";
    }
    return yaml;
}

/// Base class: customers, orders, shippings and docs (showing those three) in one host, up when a
/// test body runs.
class DocsTest : public ::testing::Test {
protected:
    void SetUp() override {
        purgeWorkflowQueues();
        ports_ = freeServicePorts();
        docsPort_ = freePortOtherThan({ports_.customers, ports_.orders, ports_.shippings});
        start(servicesYaml(ports_) + docsInstanceYaml(docsPort_, {{"customers", ports_.customers},
                                                                  {"orders", ports_.orders},
                                                                  {"shippings", ports_.shippings}}));
    }

    void TearDown() override {
        if (host_ && (HasFailure() || std::getenv("MICRO_ORDER_TEST_SHOW_LOG"))) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end of host log ---\n";
        }
    }

    /// Replaces the host with one running `yaml`, and waits until it serves.
    void start(const std::string& yaml) {
        host_.reset();
        host_ = std::make_unique<HostProcess>(yaml);
        host_->waitUntilReady();
    }

    /// "http://127.0.0.1:<docs port>/".
    std::string docsUrl() const { return "http://127.0.0.1:" + std::to_string(docsPort_) + "/"; }

    /// The three services and their ports, in the order the docs plugin lists them.
    std::vector<DocsSourcePort> services() const {
        return {{"customers", ports_.customers}, {"orders", ports_.orders}, {"shippings", ports_.shippings}};
    }

    ServicePorts ports_;
    unsigned short docsPort_ = 0;
    std::unique_ptr<HostProcess> host_;
};

/// Every route of the three services, as "METHOD /path/".
inline const std::vector<std::string>& serviceRoutes() {
    static const std::vector<std::string> kRoutes{
        "POST /customers/", "GET /customers/",   "GET /customers/{id}/", "POST /orders/",
        "GET /orders/",     "GET /orders/{id}/", "GET /shippings/",      "GET /shippings/{id}/",
    };
    return kRoutes;
}

/// "METHOD /path" of every operation in an OpenAPI document's text, in the document's order.
inline std::vector<std::string> routesOf(const std::string& document) {
    static const std::set<std::string> kMethods{"get", "put", "post", "delete", "patch", "head", "options", "trace"};
    std::vector<std::string> routes;
    const auto paths = json(document)->getObject("paths");
    std::vector<std::string> pathNames;
    paths->getNames(pathNames);
    for (const auto& path : pathNames) {
        std::vector<std::string> methods;
        paths->getObject(path)->getNames(methods);
        for (auto method : methods) {
            if (kMethods.count(method) != 0) {
                for (auto& c : method) {
                    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                }
                routes.push_back(method + " " + path);
            }
        }
    }
    return routes;
}

}  // namespace micro_order::testing
