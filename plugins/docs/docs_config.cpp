#include "docs/docs_config.hpp"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace micro_order::docs {

namespace {

constexpr int kMaxTimeoutMs = 60000;

[[noreturn]] void fail(const std::string& key, const std::string& why) {
    throw std::invalid_argument("config." + key + ": " + why);
}

bool isName(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '_' || c == '.' || c == '-';
    });
}

std::string sourceKey(std::size_t index) { return "sources[" + std::to_string(index) + "]"; }

Poco::URI readUrl(const std::string& key, const std::string& text) {
    Poco::URI url;
    try {
        url = Poco::URI(text);
    } catch (const Poco::SyntaxException& error) {
        fail(key, "'" + text + "' is not a URL: " + error.message());
    }
    if (url.getScheme() != "http" || url.getHost().empty()) {
        fail(key, "'" + text + "' is not an http://host:port/path URL");
    }
    return url;
}

DocsSource readSource(const Poco::Util::AbstractConfiguration& config, const std::string& key) {
    Poco::Util::AbstractConfiguration::Keys keys;
    config.keys(key, keys);
    if (keys.empty()) {
        fail(key, "must be a {name, url} map");
    }
    for (const auto& name : keys) {
        if (name != "name" && name != "url" && name != "token_file") {
            fail(key + "." + name, "unknown key (a source has a name, a url and maybe a token_file)");
        }
    }
    DocsSource source;
    source.name = config.getString(key + ".name", "");
    if (!isName(source.name)) {
        fail(key + ".name", "'" + source.name + "' is not a name (letters, digits, _ . -)");
    }
    if (!config.hasProperty(key + ".url")) {
        fail(key + ".url", "missing");
    }
    source.url = readUrl(key + ".url", config.getString(key + ".url"));
    source.tokenFile = config.getString(key + ".token_file", "");
    if (config.hasProperty(key + ".token_file") && (source.tokenFile.empty() || source.tokenFile.front() != '/')) {
        fail(key + ".token_file", "'" + source.tokenFile + "' is not an absolute path");
    }
    return source;
}

int readNumber(const Poco::Util::AbstractConfiguration& config, const std::string& key, int min, int max,
               int byDefault) {
    if (!config.hasProperty(key)) {
        return byDefault;
    }
    const std::string text = config.getString(key);
    int value = 0;
    if (!Poco::NumberParser::tryParse(text, value) || value < min || value > max) {
        fail(key, "'" + text + "' is not a number from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return value;
}

StatusConfig readStatusConfig(const Poco::Util::AbstractConfiguration& config) {
    StatusConfig status;
    std::set<std::string> names;
    Poco::Util::AbstractConfiguration::Keys keys;
    config.keys("status", keys);
    std::size_t count = 0;
    for (const auto& key : keys) {
        if (key.rfind("metrics[", 0) == 0) {
            ++count;
        } else if (key != "interval_ms" && key != "history_minutes") {
            fail("status." + key, "unknown key (metrics, interval_ms and history_minutes are)");
        }
    }
    for (std::size_t i = 0; i < count; ++i) {
        auto source = readSource(config, "status.metrics[" + std::to_string(i) + "]");
        if (!names.insert(source.name).second) {
            fail("status.metrics[" + std::to_string(i) + "].name", "'" + source.name + "' is listed twice");
        }
        status.metrics.push_back(std::move(source));
    }
    if (status.metrics.empty()) {
        fail("status.metrics", "list at least one {name, url} of a host's /metrics");
    }
    status.interval = std::chrono::milliseconds(readNumber(config, "status.interval_ms", 100, 60000, 5000));
    status.history = std::chrono::minutes(readNumber(config, "status.history_minutes", 1, 60, 10));
    return status;
}

}  // namespace

DocsConfig readDocsConfig(const Poco::Util::AbstractConfiguration& config) {
    DocsConfig result;
    Poco::Util::AbstractConfiguration::Keys keys;
    config.keys(keys);
    std::size_t sourceCount = 0;
    for (const auto& key : keys) {
        if (key == "timeout_ms" || key == "status") {
            continue;
        }
        if (key == "sources") {
            fail(key, "must be a list of {name, url}");
        }
        if (key.rfind("sources[", 0) != 0) {
            fail(key, "unknown key (sources, timeout_ms and status are)");
        }
        ++sourceCount;
    }
    if (sourceCount == 0) {
        fail("sources", "list at least one {name, url}");
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < sourceCount; ++i) {
        auto source = readSource(config, sourceKey(i));
        if (!names.insert(source.name).second) {
            fail(sourceKey(i) + ".name", "'" + source.name + "' is listed twice");
        }
        result.sources.push_back(std::move(source));
    }
    if (config.hasProperty("timeout_ms")) {
        const std::string text = config.getString("timeout_ms");
        int timeout = 0;
        if (!Poco::NumberParser::tryParse(text, timeout) || timeout < 1 || timeout > kMaxTimeoutMs) {
            fail("timeout_ms", "'" + text + "' is not a number of milliseconds from 1 to 60000");
        }
        result.timeout = std::chrono::milliseconds(timeout);
    }
    if (std::find(keys.begin(), keys.end(), "status") != keys.end()) {
        result.status = readStatusConfig(config);
    }
    return result;
}

const DocsSource* findSource(const DocsConfig& config, const std::string& name) {
    for (const auto& source : config.sources) {
        if (source.name == name) {
            return &source;
        }
    }
    return nullptr;
}

}  // namespace micro_order::docs
