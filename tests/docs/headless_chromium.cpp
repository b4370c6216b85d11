#include "docs/headless_chromium.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "support/host_process.hpp"
#include "support/temp_dir.hpp"

namespace micro_order::testing {

namespace {

// Flags for a quiet, self-contained run: no sandbox (root), no GPU, no first-run or background
// traffic (the only requests are the page's own), a throw-away profile.
std::vector<std::string> baseFlags(const std::string& profile) {
    return {"--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            "--user-data-dir=" + profile};
}

int run(const std::vector<std::string>& args, const std::string& outFile, const std::string& errFile,
        std::chrono::milliseconds timeout) {
    const pid_t pid = spawnProcess(chromiumBinary(), args, outFile, errFile);
    const auto status = waitForExit(pid, timeout);
    if (!status) {
        ::kill(pid, SIGKILL);
        int ignored = 0;
        ::waitpid(pid, &ignored, 0);
        throw std::runtime_error("chromium did not finish within " + std::to_string(timeout.count()) +
                                 " ms\n--- its log ---\n" + readFile(errFile));
    }
    return *status;
}

}  // namespace

std::string chromiumBinary() {
    if (const char* configured = std::getenv("MICRO_ORDER_CHROMIUM"); configured && *configured) {
        return configured;
    }
    const char* path = std::getenv("PATH");
    std::istringstream folders(path ? path : "/usr/bin:/bin");
    std::string folder;
    while (std::getline(folders, folder, ':')) {
        for (const char* name : {"chromium", "chromium-browser"}) {
            const auto candidate = std::filesystem::path(folder) / name;
            if (::access(candidate.c_str(), X_OK) == 0) {
                return candidate.string();
            }
        }
    }
    throw std::runtime_error(
        "chromium is not installed (nor MICRO_ORDER_CHROMIUM set): run scripts/setup.sh, which installs Debian's "
        "chromium package");
}

RenderedPage renderPage(const std::string& url, std::chrono::milliseconds virtualTimeBudget,
                        std::chrono::milliseconds timeout) {
    TempDir folder("micro-order-chromium");
    auto args = baseFlags(folder.file("profile"));
    args.insert(args.end(), {"--enable-logging=stderr", "--v=0",
                             "--virtual-time-budget=" + std::to_string(virtualTimeBudget.count()), "--dump-dom", url});
    RenderedPage page;
    page.exitCode = run(args, folder.file("dom.html"), folder.file("chromium.log"), timeout);
    page.dom = readFile(folder.file("dom.html"));
    page.log = readFile(folder.file("chromium.log"));
    return page;
}

void screenshotPage(const std::string& url, const std::string& file, int width, int height) {
    TempDir folder("micro-order-chromium");
    auto args = baseFlags(folder.file("profile"));
    args.insert(args.end(),
                {"--hide-scrollbars", "--virtual-time-budget=5000",
                 "--window-size=" + std::to_string(width) + "," + std::to_string(height), "--screenshot=" + file, url});
    const int exitCode = run(args, folder.file("out.log"), folder.file("chromium.log"), std::chrono::seconds(90));
    if (exitCode != 0) {
        throw std::runtime_error("chromium --screenshot exited with " + std::to_string(exitCode) + "\n" +
                                 readFile(folder.file("chromium.log")));
    }
}

std::string visibleText(const std::string& html) {
    // By hand rather than std::regex, which recurses per character over a long script.
    std::string text;
    std::size_t at = 0;
    while (at < html.size()) {
        if (html[at] != '<') {
            text += html[at++];
            continue;
        }
        for (const char* element : {"script", "style"}) {
            if (html.compare(at + 1, std::strlen(element), element) == 0) {
                const auto close = html.find(std::string("</") + element + ">", at);
                at = close == std::string::npos ? html.size() : close;
                break;
            }
        }
        const auto end = html.find('>', at);
        at = end == std::string::npos ? html.size() : end + 1;
    }
    for (const auto& [entity, character] : std::vector<std::pair<std::string, std::string>>{
             {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", " "}, {"&amp;", "&"}}) {
        for (auto found = text.find(entity); found != std::string::npos;
             found = text.find(entity, found + character.size())) {
            text.replace(found, entity.size(), character);
        }
    }
    std::string collapsed;
    for (const char c : text) {
        const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (!space) {
            collapsed += c;
        } else if (!collapsed.empty() && collapsed.back() != ' ') {
            collapsed += ' ';
        }
    }
    return collapsed;
}

std::vector<std::string> consoleLines(const std::string& log) {
    std::vector<std::string> lines;
    std::istringstream in(log);
    std::string line;
    while (std::getline(in, line)) {
        if (line.find("CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos) {
            lines.push_back(line);
        }
    }
    return lines;
}

}  // namespace micro_order::testing
