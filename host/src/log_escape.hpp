#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Formatter.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace micro_order::host {

/// How much of one outside value a log line shows.
inline constexpr std::size_t kLogValueMaxBytes = 200;
/// How much of an error that may quote outside data (a handler's reason, a broker's) it shows.
inline constexpr std::size_t kLogReasonMaxBytes = 1000;

/// `value`, which came from outside (a message id, a correlation id, a request URI, a header, a
/// body), made fit for a log line: control bytes, `\`, bytes that are not UTF-8, and the C1 and
/// line-separator code points become `\xNN`, so the value can neither end the line nor forge
/// another entry (`\n<0>` under the journal); and at most `maxBytes` of it are shown, the rest
/// counted (`…(+123 bytes)`). Every log call that shows such a value passes it through here.
std::string escapeForLog(std::string_view value, std::size_t maxBytes = kLogValueMaxBytes);

/// A Poco formatter that guarantees one line per message whatever a message holds: it escapes
/// control bytes of the text (no length cap: the host's own texts may be long) and hands the
/// message to `inner`. The last line of defence behind escapeForLog().
class OneLineFormatter final : public Poco::Formatter {
public:
    explicit OneLineFormatter(Poco::AutoPtr<Poco::Formatter> inner) : inner_(std::move(inner)) {}
    void format(const Poco::Message& message, std::string& text) override;

private:
    Poco::AutoPtr<Poco::Formatter> inner_;
};

}  // namespace micro_order::host
