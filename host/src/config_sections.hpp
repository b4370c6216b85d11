#pragma once

#include "settings_catalog.hpp"

// The sections of the YAML file, each declared once in its own file: config_http.cpp,
// config_broker.cpp, config_database.cpp, config_listen.cpp, config_plugins.cpp and the top
// level in config_loader.cpp.

namespace micro_order::host {

const Section<HttpSettings>& httpSettings();
const Section<BrokerSettings>& brokerSettings();
/// `broker:` as a whole, checked once read (or absent): url or url_file, MICRO_ORDER_AMQP_URL.
void finishBroker(Reader& reader, const Field& map, const std::map<std::string, Field>& seen, BrokerSettings& broker);
const Section<DatabaseSettings>& databaseSettings();
/// `databases:` a map name → DatabaseSettings.
Key<HostConfig> databasesKey();
const Section<ListenAddress>& listenSettings();
/// `listen:` `host:port` or a map (listenSettings()).
std::optional<ListenAddress> parseListen(Reader& reader, const Field& field);
const Section<PluginInstanceSettings>& pluginSettings();
/// `plugins:` a list of PluginInstanceSettings, read after plugin_path and databases.
Key<HostConfig> pluginsKey();
/// `plugin_path:` a folder or a list of them.
void readPluginPaths(Reader& reader, const Field& field, std::vector<std::string>& paths);
/// The top level of the main file.
const Section<HostConfig>& hostSettings();

}  // namespace micro_order::host
