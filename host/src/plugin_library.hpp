#pragma once

#include <boost/dll/shared_library.hpp>
#include <memory>
#include <micro_order/plugin.hpp>
#include <optional>
#include <string>

#include "plugin_config_schema.hpp"

namespace micro_order::host {

/// A loaded plugin library whose ABI version and name were checked.
///
/// Each object it creates holds the library alive: unmapping code that a live object still
/// points into crashes, so a library goes away only after the last of its objects.
class PluginLibrary : public std::enable_shared_from_this<PluginLibrary> {
public:
    /// Checks that `path` can be trusted (file_trust.hpp: no symbolic link, owned by root or
    /// the user this process runs as, writable by nobody else, nor any folder above it), loads
    /// the very file checked through its descriptor (symbols bound now, so a missing one fails
    /// here) checks its ABI version and
    /// reads its config schema. Throws std::runtime_error (UntrustedFileError for the
    /// trust checks) naming the file and the reason.
    static std::shared_ptr<PluginLibrary> load(const std::string& path);

    const std::string& path() const { return path_; }
    const std::string& pluginName() const { return pluginName_; }
    /// What MICRO_ORDER_PLUGIN_CONFIG_SCHEMA declared; nullopt for a plugin without one.
    const std::optional<PluginConfigSchema>& configSchema() const { return configSchema_; }

    std::shared_ptr<Plugin> create();

private:
    PluginLibrary(std::string path, boost::dll::shared_library library, std::string pluginName);

    std::string path_;
    boost::dll::shared_library library_;
    std::string pluginName_;
    std::optional<PluginConfigSchema> configSchema_;
};

}  // namespace micro_order::host
