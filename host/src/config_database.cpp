// `databases:` a map name → settings of one database.

#include <libpq-fe.h>

#include <algorithm>

#include "config_sections.hpp"
#include "redact_url.hpp"

namespace micro_order::host {

namespace {

constexpr std::array<std::string_view, 2> kConnectors{"sqlite", "postgresql"};
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
    config.databases.push_back(std::move(database));
}

/// libpq reads the URL as the host connects; a URL it cannot read is a config problem, at its
/// line. libpq's own reason may quote a piece of the text (a password), so it is not shown.
void checkDatabaseUrl(Reader& reader, const Field& where, const std::string& url, const std::string& source) {
    char* reason = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &reason);
    if (options) {
        PQconninfoFree(options);
        return;
    }
    PQfreemem(reason);
    reader.problem(where, "'" + redactDatabaseUrl(url) + "'" + source +
                              " is not a PostgreSQL connection URI (postgresql://...) or key=value string");
}

/// Which keys a database needs depends on its connector: a SQLite file, or a server's URL.
void finishDatabase(Reader& reader, const Field& map, const std::map<std::string, Field>& seen,
                    DatabaseSettings& database) {
    const auto given = [&](const char* key) -> std::optional<Field> {
        const auto it = seen.find(key);
        return it == seen.end() ? std::nullopt : std::optional<Field>(it->second);
    };
    const auto url = given("url");
    const auto urlFile = given("url_file");
    if (database.connector == "sqlite") {
        reader.require(map, "path");
        for (const auto& misplaced : {url, urlFile}) {
            if (misplaced) {
                reader.problem(*misplaced, "only for connector: postgresql (this database is a SQLite file: path)");
            }
        }
        return;
    }
    if (const auto path = given("path")) {
        reader.problem(*path, "only for connector: sqlite (a PostgreSQL database is named by url or url_file)");
    }
    if (url && urlFile) {
        reader.problem(*urlFile, "give the database URL either as url or as url_file, not both");
    } else if (urlFile) {
        if (auto text = reader.readSecretSetting(*urlFile, database.urlFile)) {
            database.url = *text;
            checkDatabaseUrl(reader, *urlFile, database.url, " (from " + database.urlFile + ")");
        }
    } else if (url) {
        if (!database.url.empty()) {
            checkDatabaseUrl(reader, *url, database.url, "");
        }
    } else {
        reader.problem(map.mark, map.key + ".url", "missing (required for connector: postgresql; or url_file)");
    }
}

/// `url`: a libpq connection URI or key=value string, kept as written (libpq parses it).
void readUrl(Reader& reader, const Field& field, std::string& url) {
    if (auto text = reader.readString(field)) {
        url = *text;
    }
}

}  // namespace

const Section<DatabaseSettings>& databaseSettings() {
    using D = DatabaseSettings;
    constexpr auto restart = Reload::restart;
    const auto connectors = choice(kConnectors);
    static const Section<D> section{
        {
            leaf("connector", &D::connector, restart,
                 LeafSpec<std::string>{connectors.type, connectors.example, readConnector}),
            leaf("path", &D::path, restart, filePath("other.db")),
            leaf("url", &D::url, restart,
                 LeafSpec<std::string>{"libpq URI (postgresql)",
                                       [](const std::string&) { return "postgresql://app@127.0.0.1/other"; }, readUrl}),
            // Read by finishDatabase (one of url and url_file); its content is compared as `url`.
            leaf("url_file", &D::urlFile, restart,
                 LeafSpec<std::string>{"secret file: the libpq URI (postgresql)",
                                       [](const std::string&) { return "database.url"; },
                                       [](Reader&, const Field&, std::string&) {}}),
            leaf("pool_size", &D::poolSize, restart, integer<int>(1, kIntMax)),
            leaf("busy_timeout_ms", &D::busyTimeoutMs, restart, integer<int>(0, kIntMax)),
            leaf("statement_timeout_ms", &D::statementTimeoutMs, restart, integer<int>(0, kIntMax)),
            leaf("synchronous", &D::synchronous, restart, choice(kSynchronousModes, true)),
            // Read by the pruning of a database that is open: a new value needs it reopened.
            leaf("inbox_retention_hours", &D::inboxRetentionHours, restart, integer<int>(0, kIntMax)),
        },
        finishDatabase};
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
