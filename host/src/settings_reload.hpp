#pragma once

#include <string>
#include <vector>

#include "host_config.hpp"
#include "settings_catalog.hpp"

// What a SIGHUP does with a re-read file, from the settings catalog (settings_catalog.hpp).

namespace micro_order::host {

/// Every setting of the file, in file order (sections, then their keys as declared).
std::vector<SettingInfo> settingsCatalog();

/// What differs between the running config and a re-read one, without applying anything.
std::vector<SettingChange> diffSettings(const HostConfig& running, const HostConfig& next);

/// Takes every applied setting's new value into `running` (and acts on it: the log level) and
/// returns every change, applied or not.
std::vector<SettingChange> applySettings(HostConfig& running, const HostConfig& next);

/// `log_level changed: applied`, `databases.orders.pool_size changed: restart to apply`.
std::string describeChange(const SettingChange& change);

/// The README's reload table (Markdown), one row per section: what SIGHUP applies, what needs
/// a restart.
std::string reloadTable();

}  // namespace micro_order::host
