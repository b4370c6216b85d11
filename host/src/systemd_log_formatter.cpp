#include "systemd_log_formatter.hpp"

#include <Poco/Message.h>

namespace micro_order::host {

void SystemdLogFormatter::format(const Poco::Message& message, std::string& text) {
    // Poco's priorities run 1 (fatal) to 8 (trace); syslog's 0 (emerg) to 7 (debug).
    static constexpr char kLevels[] = {'2', '2', '2', '3', '4', '5', '6', '7', '7'};
    const int priority = static_cast<int>(message.getPriority());
    text += '<';
    text += kLevels[priority >= 0 && priority <= 8 ? priority : 6];
    text += ">[";
    text += message.getSource();
    text += "] ";
    text += message.getText();
}

}  // namespace micro_order::host
