// `databases:` a map name → settings of one database.

#include <algorithm>

#include "config_sections.hpp"

namespace micro_order::host {

namespace {

constexpr std::array<std::string_view, 1> kConnectors{"sqlite"};
constexpr std::array<std::string_view, 3> kSynchronousModes{"OFF", "NORMAL", "FULL"};

void readConnector(Reader& reader, const Field& field, std::string& connector) {
    if (auto text = reader.readString(field)) {
        if (std::find(kConnectors.begin(), kConnectors.end(), *text) == kConnectors.end()) {
            reader.problem(field, "unsupported connector '" + *text + "'; supported: " + join(kConnectors));
        } else {
            connector = *text;
        }
    }
}

void readDatabase(Reader& reader, const std::string& name, const Field& field, HostConfig& config) {
    DatabaseSettings database;
    database.name = name;
    database.mark = reader.sourceMark(field.mark);
    if (!isValidName(name)) {
        reader.problem(field.mark, field.key, "a database name may only use letters, digits, '_', '.' and '-'");
    }
    if (!field.node.IsMap()) {
        reader.problem(field, "expected a map, got " + describe(field.node));
        return;
    }
    readSection(reader, field, databaseSettings(), database);
    reader.require(field, "path");
    config.databases.push_back(std::move(database));
}

}  // namespace

const Section<DatabaseSettings>& databaseSettings() {
    using D = DatabaseSettings;
    constexpr auto restart = Reload::restart;
    const auto connectors = choice(kConnectors);
    static const Section<D> section{{
        leaf("connector", &D::connector, restart,
             LeafSpec<std::string>{connectors.type, connectors.example, readConnector}),
        leaf("path", &D::path, restart, filePath("other.db")),
        leaf("pool_size", &D::poolSize, restart, integer<int>(1, kIntMax)),
        leaf("busy_timeout_ms", &D::busyTimeoutMs, restart, integer<int>(0, kIntMax)),
        leaf("synchronous", &D::synchronous, restart, choice(kSynchronousModes, true)),
        // Read by the pruning of a database that is open: a new value needs it reopened.
        leaf("inbox_retention_hours", &D::inboxRetentionHours, restart, integer<int>(0, kIntMax)),
    }};
    return section;
}

Key<HostConfig> databasesKey() {
    Key<HostConfig> key;
    key.name = "databases";
    key.read = [](Reader& reader, const Field& field, HostConfig& config) {
        reader.readMap(field, [&](const std::string& name, const Field& settings) {
            if (config.findDatabase(name)) {
                // Only a conf.d fragment gets here: the main file's own repeats are duplicate keys.
                reader.problem(settings, "database '" + name + "' is already declared");
            } else {
                readDatabase(reader, name, settings, config);
            }
            return true;
        });
    };
    key.list = [](const SettingPath& where, std::vector<SettingInfo>& out) {
        out.push_back({where.setting + ".*", "a database (added or removed)", "", Reload::restart, "{path: third.db}"});
        listSection(databaseSettings(), where.child("*"), out);
    };
    key.diff = [](HostConfig& running, const HostConfig& next, const SettingPath& where,
                  std::vector<SettingChange>& out, bool apply) {
        for (auto& database : running.databases) {
            const auto* other = next.findDatabase(database.name);
            const SettingPath here{where.setting + ".*", where.path + "." + database.name};
            if (!other) {
                out.push_back({here.setting, here.path, Reload::restart, "removed"});
            } else {
                diffSection(databaseSettings(), database, *other, here, out, apply);
            }
        }
        for (const auto& database : next.databases) {
            if (!running.findDatabase(database.name)) {
                out.push_back({where.setting + ".*", where.path + "." + database.name, Reload::restart, "added"});
            }
        }
    };
    return key;
}

}  // namespace micro_order::host
