#pragma once

// Base class of the tests that run the probe plugin alone in a real host on a free port.

#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <string>

#include "http/http_test_support.hpp"
#include "http/raw_connection.hpp"
#include "support/host_process.hpp"
#include "support/test_environment.hpp"

namespace micro_order::testing {

class ProbeHostTest : public ::testing::Test {
protected:
    /// Starts the host with these `http:` lines (see probeYaml) and waits until it is ready.
    void startHost(const std::string& httpLines = "", int shutdownGraceMs = 5000) {
        port_ = freePort();
        host_ = std::make_unique<HostProcess>(probeYaml(port_, httpLines, shutdownGraceMs));
        host_->waitUntilReady();
    }

    void TearDown() override {
        if (host_ && HasFailure()) {
            std::cerr << "--- host log ---\n" << host_->log() << "--- end of host log ---\n";
        }
    }

    /// One request written as given on a fresh connection; its response or nullopt.
    std::optional<RawResponse> exchange(const std::string& request,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(5),
                                        bool toHead = false) {
        RawConnection connection(port_);
        connection.send(request);
        return connection.readResponse(timeout, toHead);
    }

    unsigned short port_ = 0;
    std::unique_ptr<HostProcess> host_;
};

}  // namespace micro_order::testing
