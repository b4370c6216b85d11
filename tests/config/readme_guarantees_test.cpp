// The README's table of what survives a crash under each `synchronous` setting (issue 12) names
// the default and the settings that are not durable: it must agree with what the config loader
// yields, so neither can change without the other.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "host_config.hpp"
#include "support/temp_dir.hpp"

namespace micro_order::testing {
namespace {

std::string readme() {
    const std::string text = readFile(std::string(MICRO_ORDER_SOURCE_DIR) + "/README.md");
    if (text.empty()) {
        throw std::runtime_error("no README.md in " MICRO_ORDER_SOURCE_DIR);
    }
    return text;
}

/// From the line `heading` to the next heading of its level or above (or the end of the text);
/// `#` lines inside fenced code blocks (YAML and shell comments) are not headings.
std::string section(const std::string& text, const std::string& heading) {
    const std::size_t level = heading.find(' ');
    std::istringstream lines(text);
    std::string found;
    bool inside = false;
    bool fenced = false;
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("```")) {
            fenced = !fenced;
        }
        if (!fenced && line.starts_with("#")) {
            const std::size_t hashes = line.find_first_not_of('#');
            if (inside && hashes <= level && hashes < line.size() && line[hashes] == ' ') {
                break;
            }
            inside = inside || line == heading;
        }
        if (inside) {
            found += line + "\n";
        }
    }
    return found;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(' ');
    return first == std::string::npos ? std::string() : text.substr(first, text.find_last_not_of(' ') - first + 1);
}

struct GuaranteeRow {
    std::string setting;  ///< e.g. FULL, from the first cell's `FULL`
    bool isDefault = false;
    std::string processCrash;
    std::string powerLoss;
    std::string use;
};

/// The rows of the table whose header starts with `| \`synchronous\` |`.
std::vector<GuaranteeRow> guaranteeTable(const std::string& text) {
    std::vector<GuaranteeRow> rows;
    std::istringstream lines(text);
    bool inTable = false;
    for (std::string line; std::getline(lines, line);) {
        if (!inTable) {
            inTable = line.starts_with("| `synchronous` |");
            continue;
        }
        if (!line.starts_with("|")) {
            break;
        }
        if (line.starts_with("|--") || line.starts_with("| --")) {
            continue;
        }
        std::vector<std::string> cells;
        std::istringstream split(line.substr(1));
        for (std::string cell; std::getline(split, cell, '|');) {
            cells.push_back(trim(cell));
        }
        if (cells.size() < 4) {
            ADD_FAILURE() << "a row with fewer than 4 cells: " << line;
            continue;
        }
        GuaranteeRow& row = rows.emplace_back();
        const auto open = cells[0].find('`');
        const auto close = cells[0].find('`', open + 1);
        if (open != std::string::npos && close != std::string::npos) {
            row.setting = cells[0].substr(open + 1, close - open - 1);
        }
        row.isDefault = cells[0].find("(default)") != std::string::npos;
        row.processCrash = cells[1];
        row.powerLoss = cells[2];
        row.use = cells[3];
    }
    return rows;
}

/// What the config loader yields for a database: with `synchronous: <setting>`, or without the
/// key when `setting` is empty.
std::string loadedSynchronous(const std::string& setting) {
    TempDir folder("readme-guarantees-test");
    writeFile(folder.file("x.so"), "");  // the loader only checks that the library exists
    writeFile(folder.file("host.yaml"), "databases:\n  d:\n    path: d.sqlite3\n" +
                                            (setting.empty() ? "" : "    synchronous: " + setting + "\n") +
                                            "plugins:\n  - {name: x, library: x}\n");
    return host::loadHostConfig(folder.file("host.yaml")).databases.at(0).synchronous;
}

const std::string kGuarantees = "## The workflow and delivery guarantees";

TEST(ReadmeGuarantees, TheTableCoversExactlyTheSettingsTheLoaderAccepts) {
    const auto rows = guaranteeTable(section(readme(), kGuarantees));
    ASSERT_FALSE(rows.empty()) << "no | `synchronous` | table under '" << kGuarantees << "'";
    std::set<std::string> settings;
    for (const GuaranteeRow& row : rows) {
        EXPECT_TRUE(settings.insert(row.setting).second) << "twice: " << row.setting;
        EXPECT_EQ(loadedSynchronous(row.setting), row.setting);
    }
    EXPECT_EQ(settings, (std::set<std::string>{"FULL", "NORMAL", "OFF"}));
}

TEST(ReadmeGuarantees, TheDefaultRowIsWhatTheLoaderYieldsAndTheOnlyDurableOne) {
    const auto rows = guaranteeTable(section(readme(), kGuarantees));
    const auto defaults = std::count_if(rows.begin(), rows.end(), [](const auto& row) { return row.isDefault; });
    ASSERT_EQ(defaults, 1) << "one row marked (default)";
    const GuaranteeRow& byDefault =
        *std::find_if(rows.begin(), rows.end(), [](const auto& row) { return row.isDefault; });

    EXPECT_EQ(byDefault.setting, loadedSynchronous(""));
    EXPECT_EQ(byDefault.setting, host::DatabaseSettings{}.synchronous);
    EXPECT_TRUE(byDefault.powerLoss.starts_with("nothing lost")) << byDefault.powerLoss;
    for (const GuaranteeRow& row : rows) {
        SCOPED_TRACE(row.setting);
        EXPECT_TRUE(row.processCrash.starts_with("nothing lost")) << "a process crash loses nothing in WAL mode";
        if (&row != &byDefault) {
            EXPECT_FALSE(row.powerLoss.starts_with("nothing lost")) << "only the default is durable";
        }
        if (row.setting == "NORMAL") {
            EXPECT_NE(row.powerLoss.find("acknowledged orders and acked messages can be lost"), std::string::npos);
            EXPECT_NE(row.use.find("not durable across power loss"), std::string::npos);
        }
    }
}

TEST(ReadmeGuarantees, TheConfigurationExampleShowsTheDefault) {
    const std::string configuration = section(readme(), "## Configuration");
    const auto key = configuration.find("\n    synchronous: ");
    ASSERT_NE(key, std::string::npos) << "no synchronous: in the Configuration example";
    const auto value = key + std::string("\n    synchronous: ").size();
    EXPECT_EQ(configuration.substr(value, configuration.find_first_of(" \n", value) - value), loadedSynchronous(""));
}

TEST(ReadmeGuarantees, ThePostgresqlDurableSettingIsNamedNextToTheTable) {
    EXPECT_NE(section(readme(), kGuarantees).find("`synchronous_commit = on`"), std::string::npos);
}

}  // namespace
}  // namespace micro_order::testing
