#include "plugin_library.hpp"

#include <unistd.h>

#include <boost/dll/shared_library_load_mode.hpp>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "file_trust.hpp"

namespace micro_order::host {
namespace {

constexpr const char* kAbiSymbol = "micro_order_abi_version";
constexpr const char* kNameSymbol = "micro_order_plugin_name";
constexpr const char* kCreateSymbol = "micro_order_create_plugin";
constexpr const char* kConfigSchemaSymbol = "micro_order_plugin_config_schema";

}  // namespace

PluginLibrary::PluginLibrary(std::string path, boost::dll::shared_library library, std::string pluginName)
    : path_(std::move(path)), library_(std::move(library)), pluginName_(std::move(pluginName)) {}

std::shared_ptr<PluginLibrary> PluginLibrary::load(const std::string& path) {
    // The same file loaded twice is one image anyway; sharing the handle keeps that explicit.
    static std::mutex mutex;
    static std::map<std::string, std::weak_ptr<PluginLibrary>> loaded;
    std::lock_guard lock(mutex);
    if (auto existing = loaded[path].lock()) {
        return existing;
    }
    // The file checked is the file loaded: dlopen() gets the descriptor the checks looked at
    // (TrustedFile: no symbolic link, owned by root or us, nobody else may write it or a folder
    // above it), so nothing can swap the file in between.
    TrustedFile file(path, TrustedKind::kPlugin, ::geteuid());
    boost::dll::shared_library library;
    try {
        library.load(file.procPath(), boost::dll::load_mode::rtld_now);
    } catch (const std::exception& error) {
        throw std::runtime_error("cannot load plugin library " + path + ": " + error.what());
    }
    // glibc knows a loaded library by the name it was opened with: /proc/self/fd/N must never
    // name another file while this process lives, or a later dlopen() of that name would
    // return this library. So the descriptor stays open (one per library, never reused).
    static std::vector<int> keptOpen;
    keptOpen.push_back(file.release());
    if (!library.has(kAbiSymbol) || !library.has(kNameSymbol) || !library.has(kCreateSymbol)) {
        throw std::runtime_error("plugin library " + path + " is not a micro-order plugin: it does not export " +
                                 kAbiSymbol + " (declare the plugin with MICRO_ORDER_PLUGIN)");
    }
    const int abiVersion = library.get<int()>(kAbiSymbol)();
    if (abiVersion != kAbiVersion) {
        throw std::runtime_error("plugin library " + path + " was built for plugin ABI version " +
                                 std::to_string(abiVersion) + ", this host wants version " +
                                 std::to_string(kAbiVersion) + ": rebuild it against this SDK");
    }
    std::string name = library.get<const char*()>(kNameSymbol)();
    std::optional<PluginConfigSchema> schema;
    if (library.has(kConfigSchemaSymbol)) {
        try {
            schema = PluginConfigSchema::parse(library.get<const char*()>(kConfigSchemaSymbol)());
        } catch (const std::exception& error) {
            throw std::runtime_error("plugin library " + path + " declares an invalid " + error.what());
        }
    }
    auto result = std::shared_ptr<PluginLibrary>(new PluginLibrary(path, std::move(library), std::move(name)));
    result->configSchema_ = std::move(schema);
    loaded[path] = result;
    return result;
}

std::shared_ptr<Plugin> PluginLibrary::create() {
    Plugin* plugin = library_.get<Plugin*()>(kCreateSymbol)();
    if (!plugin) {
        throw std::runtime_error("plugin library " + path_ + " created no plugin object");
    }
    // The deleter holds the library: it is unloaded only after this object is gone.
    return std::shared_ptr<Plugin>(plugin, [library = shared_from_this()](Plugin* p) { delete p; });
}

}  // namespace micro_order::host
