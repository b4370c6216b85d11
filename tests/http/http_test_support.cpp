#include "http/http_test_support.hpp"

#include <sys/resource.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "http/raw_connection.hpp"
#include "support/test_yaml.hpp"

namespace micro_order::testing {

std::string probeInstance(const std::string& name, unsigned short port, const std::string& listenExtra) {
    const std::string address = "127.0.0.1:" + std::to_string(port);
    std::string yaml = "  - name: " + name + "\n    library: test_probe\n";
    if (listenExtra.empty()) {
        return yaml + "    listen: " + address + "\n";
    }
    return yaml + "    listen:\n      address: " + address + "\n      " + listenExtra + "\n";
}

std::string httpSection(const std::string& lines) {
    if (lines.empty()) {
        return {};
    }
    std::string section = "http:\n";
    std::istringstream in(lines);
    for (std::string line; std::getline(in, line);) {
        section += "  " + line + "\n";
    }
    return section;
}

std::string probeYaml(unsigned short port, const std::string& httpLines, int shutdownGraceMs) {
    return yamlHeader("information", shutdownGraceMs) + httpSection(httpLines) + "plugins:\n" +
           probeInstance("probe", port);
}

std::optional<double> metricValue(const std::string& page, const std::string& name,
                                  const std::map<std::string, std::string>& labels) {
    std::optional<double> sum;
    std::istringstream in(page);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#' || line.compare(0, name.size(), name) != 0) {
            continue;
        }
        const char after = line.size() > name.size() ? line[name.size()] : '\0';
        if (after != '{' && after != ' ') {
            continue;  // another metric whose name starts with this one
        }
        const auto valueAt = line.rfind(' ');
        const std::string labelText = line.substr(name.size(), valueAt - name.size());
        bool matches = true;
        for (const auto& [key, value] : labels) {
            if (labelText.find(key + "=\"" + value + "\"") == std::string::npos) {
                matches = false;
            }
        }
        if (matches) {
            sum = sum.value_or(0) + std::stod(line.substr(valueAt + 1));
        }
    }
    return sum;
}

std::string scrapeMetrics(unsigned short port, std::chrono::milliseconds timeout) {
    RawConnection connection(port);
    connection.send(getRequest("/metrics", "Connection: close\r\n"));
    const auto response = connection.readResponse(timeout);
    if (!response || response->status != 200) {
        throw std::runtime_error("GET /metrics on port " + std::to_string(port) + " did not answer 200 within " +
                                 std::to_string(timeout.count()) + " ms: " + (response ? response->head : "no answer"));
    }
    return response->body;
}

std::optional<double> waitForMetric(unsigned short port, const std::string& name,
                                    const std::map<std::string, std::string>& labels, double atLeast,
                                    std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::optional<double> value;
    for (;;) {
        value = metricValue(scrapeMetrics(port), name, labels);
        if ((value && *value >= atLeast) || std::chrono::steady_clock::now() >= deadline) {
            return value;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

long procStatusKb(pid_t pid, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(key + ":", 0) == 0) {
            return std::stol(line.substr(key.size() + 1));
        }
    }
    throw std::runtime_error("no " + key + " in /proc/" + std::to_string(pid) + "/status");
}

long raiseDescriptorLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        throw std::runtime_error("getrlimit(RLIMIT_NOFILE) failed");
    }
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        throw std::runtime_error("setrlimit(RLIMIT_NOFILE) failed");
    }
    return static_cast<long>(limit.rlim_cur);
}

}  // namespace micro_order::testing
