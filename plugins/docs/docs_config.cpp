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

DocsSource readSource(const Poco::Util::AbstractConfiguration& config, std::size_t index) {
    const std::string key = sourceKey(index);
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

}  // namespace

DocsConfig readDocsConfig(const Poco::Util::AbstractConfiguration& config) {
    DocsConfig result;
    Poco::Util::AbstractConfiguration::Keys keys;
    config.keys(keys);
    std::size_t sourceCount = 0;
    for (const auto& key : keys) {
        if (key == "timeout_ms") {
            continue;
        }
        if (key == "sources") {
            fail(key, "must be a list of {name, url}");
        }
        if (key.rfind("sources[", 0) != 0) {
            fail(key, "unknown key (sources and timeout_ms are)");
        }
        ++sourceCount;
    }
    if (sourceCount == 0) {
        fail("sources", "list at least one {name, url}");
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < sourceCount; ++i) {
        auto source = readSource(config, i);
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
