#pragma once

#include <Poco/Util/ServerApplication.h>

#include <string>

namespace micro_order::host {

/// `micro-order-host`: reads a YAML file, loads the plugins it names and serves until SIGTERM
/// or SIGINT. Runs in the foreground (systemd and containers supervise it).
class HostApplication final : public Poco::Util::ServerApplication {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    void setUpLogging(const std::string& level);

    std::string configFile_ = "/etc/micro-order/micro-order.yaml";
    bool checkOnly_ = false;
    bool helpRequested_ = false;
    bool versionRequested_ = false;
};

}  // namespace micro_order::host
