#include "settings_reload.hpp"

#include <algorithm>

#include "config_sections.hpp"

namespace micro_order::host {

std::vector<SettingInfo> settingsCatalog() {
    std::vector<SettingInfo> out;
    listSection(hostSettings(), SettingPath{}, out);
    return out;
}

std::vector<SettingChange> diffSettings(const HostConfig& running, const HostConfig& next) {
    HostConfig copy = running;
    std::vector<SettingChange> out;
    diffSection(hostSettings(), copy, next, SettingPath{}, out, false);
    return out;
}

std::vector<SettingChange> applySettings(HostConfig& running, const HostConfig& next) {
    std::vector<SettingChange> out;
    diffSection(hostSettings(), running, next, SettingPath{}, out, true);
    return out;
}

std::string describeChange(const SettingChange& change) {
    return change.path + " " + change.what + (change.reload == Reload::applied ? ": applied" : ": restart to apply");
}

std::string reloadTable() {
    // Rows by the first part of the path (http, broker, databases, plugins...), top-level
    // scalars each on their own.
    struct Row {
        std::string section;
        std::vector<std::string> applied;
        std::vector<std::string> restart;
    };
    std::vector<Row> rows;
    for (const auto& setting : settingsCatalog()) {
        const auto cut = setting.path.find_first_of(".[");
        const std::string section = setting.path.substr(0, cut);
        const std::string rest = cut == std::string::npos ? "" : setting.path.substr(cut);
        // Top-level scalars share one row.
        const std::string rowName = rest.empty() ? "top level" : "`" + section + "`";
        auto row = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.section == rowName; });
        if (row == rows.end()) {
            row = rows.insert(rows.end(), {rowName, {}, {}});
        }
        // Below a collection, the key within one element: `databases` row, `pool_size`.
        std::string key = rest.starts_with(".") ? rest.substr(1) : rest;
        for (const std::string element : {"*.", "[*]."}) {
            if (key.starts_with(element)) {
                key = key.substr(element.size());
            }
        }
        const std::string shown = key.empty()                  ? "`" + section + "`"
                                  : key == "*" || key == "[*]" ? setting.type
                                                               : "`" + key + "`";
        (setting.reload == Reload::applied ? row->applied : row->restart).push_back(shown);
    }
    std::string table = "| Setting | SIGHUP applies | Needs a restart |\n|---|---|---|\n";
    for (const auto& row : rows) {
        const auto list = [](const std::vector<std::string>& items) {
            std::string text;
            for (const auto& item : items) {
                text += (text.empty() ? "" : ", ") + item;
            }
            return text.empty() ? std::string("—") : text;
        };
        table += "| " + row.section + " | " + list(row.applied) + " | " + list(row.restart) + " |\n";
    }
    return table;
}

}  // namespace micro_order::host
