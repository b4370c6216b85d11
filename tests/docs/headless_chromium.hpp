#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace micro_order::testing {

/// The chromium executable: $MICRO_ORDER_CHROMIUM, else `chromium` or `chromium-browser` on
/// PATH. Throws when there is none, so that a test needing it fails rather than skips
/// (scripts/setup.sh installs Debian's `chromium`).
std::string chromiumBinary();

/// What headless Chromium left after loading a page.
struct RenderedPage {
    int exitCode = -1;
    std::string dom;  ///< --dump-dom: the DOM once the page settled, serialised as HTML
    std::string log;  ///< stderr with --enable-logging=stderr: console messages are CONSOLE lines
};

/// Loads `url` in headless Chromium (as root, hence --no-sandbox; a fresh profile in a temporary
/// folder; no background traffic) and dumps the DOM once the page's fetches are done and
/// `virtualTimeBudget` of its timers has run. Kills it and throws when it takes longer than
/// `timeout`.
RenderedPage renderPage(const std::string& url, std::chrono::milliseconds virtualTimeBudget = std::chrono::seconds(5),
                        std::chrono::milliseconds timeout = std::chrono::seconds(90));

/// Writes a PNG of the page (a window of `width` x `height`) to `file`, for a person to look at.
void screenshotPage(const std::string& url, const std::string& file, int width = 1280, int height = 2400);

/// The text of an HTML serialisation: tags removed, the usual entities decoded, runs of white
/// space collapsed to one space.
std::string visibleText(const std::string& html);

/// The lines of a Chromium log that report a console message or an uncaught error.
std::vector<std::string> consoleLines(const std::string& log);

}  // namespace micro_order::testing
