#include "docs/prometheus_text.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

namespace micro_order::docs {
namespace {

double parseValue(const std::string& text, bool& ok) {
    ok = true;
    if (text == "NaN") {
        return std::nan("");
    }
    if (text == "+Inf" || text == "Inf") {
        return std::numeric_limits<double>::infinity();
    }
    if (text == "-Inf") {
        return -std::numeric_limits<double>::infinity();
    }
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    ok = !text.empty() && end == text.c_str() + text.size();
    return value;
}

/// Reads `{a="1",b="x\"y"}` from `line` at `at`; false when malformed.
bool parseLabels(std::string_view line, std::size_t& at, std::map<std::string, std::string>& labels) {
    ++at;  // '{'
    while (at < line.size() && line[at] != '}') {
        const auto equals = line.find('=', at);
        if (equals == std::string_view::npos || equals + 1 >= line.size() || line[equals + 1] != '"') {
            return false;
        }
        std::string name(line.substr(at, equals - at));
        std::string value;
        std::size_t i = equals + 2;
        for (; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] == '\\' && i + 1 < line.size()) {
                ++i;
                value += line[i] == 'n' ? '\n' : line[i];
            } else {
                value += line[i];
            }
        }
        if (i >= line.size()) {
            return false;
        }
        labels[std::move(name)] = std::move(value);
        at = i + 1;
        if (at < line.size() && line[at] == ',') {
            ++at;
        }
    }
    if (at >= line.size()) {
        return false;
    }
    ++at;  // '}'
    return true;
}

}  // namespace

std::vector<MetricSample> parsePrometheusText(std::string_view text) {
    std::vector<MetricSample> samples;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty() || line.front() == '#') {
            continue;
        }
        MetricSample sample;
        std::size_t at = line.find_first_of("{ ");
        if (at == std::string_view::npos) {
            continue;
        }
        sample.name = std::string(line.substr(0, at));
        if (line[at] == '{' && !parseLabels(line, at, sample.labels)) {
            continue;
        }
        while (at < line.size() && line[at] == ' ') {
            ++at;
        }
        const auto valueEnd = line.find(' ', at);  // a timestamp may follow
        bool ok = false;
        sample.value = parseValue(
            std::string(line.substr(at, valueEnd == std::string_view::npos ? std::string_view::npos : valueEnd - at)),
            ok);
        if (ok && !sample.name.empty()) {
            samples.push_back(std::move(sample));
        }
    }
    return samples;
}

std::vector<const MetricSample*> select(const std::vector<MetricSample>& samples, const std::string& name,
                                        const std::map<std::string, std::string>& labels) {
    std::vector<const MetricSample*> found;
    for (const auto& sample : samples) {
        if (sample.name != name) {
            continue;
        }
        bool all = true;
        for (const auto& [key, value] : labels) {
            const auto it = sample.labels.find(key);
            all = all && it != sample.labels.end() && it->second == value;
        }
        if (all) {
            found.push_back(&sample);
        }
    }
    return found;
}

double histogramQuantile(double q, const std::vector<std::pair<double, double>>& buckets) {
    if (buckets.empty() || buckets.back().second <= 0) {
        return std::nan("");
    }
    const double rank = q * buckets.back().second;
    double lowerBound = 0;
    double lowerCount = 0;
    for (const auto& [bound, count] : buckets) {
        if (count >= rank) {
            if (std::isinf(bound)) {
                return lowerBound;  // beyond the last finite bound: its value is all we know
            }
            const double inBucket = count - lowerCount;
            return inBucket <= 0 ? bound : lowerBound + (bound - lowerBound) * (rank - lowerCount) / inBucket;
        }
        lowerBound = bound;
        lowerCount = count;
    }
    return lowerBound;
}

}  // namespace micro_order::docs
