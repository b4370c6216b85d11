#pragma once

#include <Poco/Formatter.h>

namespace micro_order::host {

/// One line per event, `<N>[source] text`, N the sd-daemon level (`<3>` error … `<7>` debug):
/// the journal adds time and host itself and files the line under the right priority.
class SystemdLogFormatter final : public Poco::Formatter {
public:
    void format(const Poco::Message& message, std::string& text) override;
};

}  // namespace micro_order::host
