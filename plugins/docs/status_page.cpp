#include "docs/status_page.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace micro_order::docs {
namespace {

constexpr double kChartLeft = 48;
constexpr double kChartWidth = 576;
constexpr double kChartTop = 12;
constexpr double kChartHeight = 140;

std::string escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string number(double value, int decimals = 0) {
    if (std::isnan(value)) {
        return "–";
    }
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

/// "12 ms", "1.40 s".
std::string duration(double seconds) {
    if (std::isnan(seconds)) {
        return "–";
    }
    return seconds < 1 ? number(seconds * 1000) + " ms" : number(seconds, 2) + " s";
}

std::string minutes(std::chrono::minutes span) {
    return std::to_string(span.count()) + (span.count() == 1 ? " minute" : " minutes");
}

struct Point {
    double x;
    double median;
    double tail;
};

std::string polyline(const std::vector<Point>& points, double maxY, bool tail, const char* colour) {
    std::ostringstream out;
    out << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"3\" points=\"";
    for (const Point& point : points) {
        const double value = tail ? point.tail : point.median;
        out << number(point.x, 1) << ',' << number(kChartTop + kChartHeight - value / maxY * kChartHeight, 1) << ' ';
    }
    out << "\"/>";
    return out.str();
}

std::string chart(const std::deque<StatusSample>& samples, std::chrono::minutes history) {
    const Poco::Timestamp now = samples.empty() ? Poco::Timestamp() : samples.back().at;
    const double span = static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(history).count());
    std::vector<Point> points;
    for (std::size_t i = 1; i < samples.size(); ++i) {
        const double median = intervalQuantile(0.5, samples[i - 1], samples[i]);
        const double tail = intervalQuantile(0.99, samples[i - 1], samples[i]);
        const double age = static_cast<double>(now - samples[i].at);
        if (!std::isnan(median) && age <= span) {
            points.push_back({kChartLeft + (1 - age / span) * kChartWidth, median, tail});
        }
    }
    double maxY = 0;
    for (const Point& point : points) {
        maxY = std::max({maxY, point.median, point.tail});
    }
    maxY = maxY > 0 ? maxY * 1.1 : 1;
    std::ostringstream out;
    out << "<svg id=\"chart\" width=\"640\" height=\"176\" viewBox=\"0 0 640 176\" role=\"img\" "
           "aria-label=\"time to final state over the last "
        << minutes(history) << "\">";
    out << "<rect x=\"" << kChartLeft << "\" y=\"" << kChartTop << "\" width=\"" << kChartWidth << "\" height=\""
        << kChartHeight << "\" fill=\"#fafafa\" stroke=\"#ccc\"/>";
    for (int line = 0; line <= 4; ++line) {
        const double y = kChartTop + kChartHeight * line / 4;
        out << "<text x=\"" << kChartLeft - 4 << "\" y=\"" << number(y + 4, 1) << "\" text-anchor=\"end\">"
            << escape(duration(maxY * (4 - line) / 4)) << "</text>";
    }
    out << "<text x=\"" << kChartLeft << "\" y=\"170\">−" << history.count() << " min</text>";
    out << "<text x=\"" << kChartLeft + kChartWidth << "\" y=\"170\" text-anchor=\"end\">now</text>";
    if (points.empty()) {
        out << "<text x=\"" << kChartLeft + kChartWidth / 2 << "\" y=\"" << kChartTop + kChartHeight / 2
            << "\" text-anchor=\"middle\">no order reached its final state in this time</text>";
    } else {
        out << polyline(points, maxY, true, kTailColour) << polyline(points, maxY, false, kMedianColour);
    }
    out << "</svg>";
    return out.str();
}

}  // namespace

std::string renderStatusPage(const std::deque<StatusSample>& samples, std::chrono::minutes history,
                             std::chrono::seconds refresh) {
    std::ostringstream page;
    page << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         << (refresh.count() > 0 ? "<meta http-equiv=\"refresh\" content=\"" + std::to_string(refresh.count()) + "\">\n"
                                 : std::string())
         << "<title>micro-order status</title>\n<link rel=\"icon\" href=\"data:,\">\n"
         << "<style>body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#222;background:#fff}"
            "h1{font-size:20px;margin:0 0 8px}h2{font-size:15px;margin:16px 0 4px}"
            "table{border-collapse:collapse}td,th{text-align:left;padding:2px 12px 2px 0}"
            ".down,.bad{color:#b00020}.up,.ok{color:#1b7f3b}svg text{font-size:11px;fill:#555}</style>\n"
         << "</head>\n<body>\n<h1>micro-order status</h1>\n";
    if (samples.empty()) {
        page << "<p id=\"summary\">No host read yet.</p>\n</body>\n</html>\n";
        return page.str();
    }
    const StatusSample& last = samples.back();
    std::vector<std::string> down;
    for (const HostState& host : last.hosts) {
        if (!host.up) {
            down.push_back(host.name);
        }
    }
    page << "<p id=\"summary\" class=\"" << (down.empty() && last.problems.empty() ? "ok" : "bad") << "\">";
    if (down.empty()) {
        page << "All " << last.hosts.size() << " hosts up";
    } else {
        page << down.size() << " of " << last.hosts.size() << " hosts down:";
        for (const auto& name : down) {
            page << ' ' << escape(name);
        }
    }
    page << (last.problems.empty() ? "." : "; " + std::to_string(last.problems.size()) + " problem(s) below.")
         << "</p>\n";

    page << "<h2>Time to final state, last " << minutes(history) << "</h2>\n"
         << chart(samples, history)
         // The lines' colours appear nowhere else on the page (a test finds the lines by them).
         << "\n<p>Blue: the median, orange: the 99th percentile, of the orders that reached their final state in "
            "each interval.</p>\n";

    // Over the last minute (or what the samples cover of it): one interval is too short to say.
    double perSecond = std::nan("");
    for (const StatusSample& earlier : samples) {
        if (&earlier != &last && last.at - earlier.at <= 60 * 1000000LL) {
            perSecond = throughput(earlier, last);
            break;
        }
    }
    page << "<h2>Now</h2>\n<table id=\"numbers\">\n";
    for (const char* status : {"PROCESSING", "SHIPPED", "CANCELLED"}) {
        const auto it = last.ordersByStatus.find(status);
        page << "<tr><th>Orders " << status << "</th> <td>"
             << (it == last.ordersByStatus.end() ? "–" : number(it->second)) << "</td></tr>\n";
    }
    page << "<tr><th>Final states per second (last minute)</th> <td>" << number(perSecond, 1) << "</td></tr>\n"
         << "<tr><th>Time to final state (since the hosts started)</th> <td>median "
         << duration(histogramQuantile(0.5, last.finishedBuckets)) << ", 90th "
         << duration(histogramQuantile(0.9, last.finishedBuckets)) << ", 99th "
         << duration(histogramQuantile(0.99, last.finishedBuckets)) << "</td></tr>\n"
         << "<tr><th>Outbox backlog</th> <td>" << number(last.outboxBacklog) << "</td></tr>\n"
         << "<tr><th>Dead letters</th> <td>" << (last.deadLetters ? number(*last.deadLetters) : "–")
         << "</td></tr>\n</table>\n";

    page << "<h2>Hosts</h2>\n<table id=\"hosts\">\n";
    for (const HostState& host : last.hosts) {
        page << "<tr><td>" << escape(host.name) << "</td> <td class=\""
             << (!host.up               ? "down\">down: "
                 : host.problem.empty() ? "up\">up"
                                        : "bad\">up, degraded: ")
             << escape(host.problem) << "</td></tr>\n";
    }
    page << "</table>\n</body>\n</html>\n";
    return page.str();
}

}  // namespace micro_order::docs
