// The host's YAML loader on any text: every problem must come out as ConfigError (which names
// the file and line), nothing else may escape. The text goes to a file in a private folder.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "host_config.hpp"

namespace {

/// A private folder for the YAML file, removed at exit.
struct Folder {
    std::string path;
    Folder() {
        ::unsetenv(std::string(micro_order::host::kAmqpUrlVariable).c_str());
        path = (std::filesystem::temp_directory_path() / "host_config_fuzz-XXXXXX").string();
        if (!::mkdtemp(path.data())) {
            std::abort();
        }
    }
    ~Folder() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

const std::string& configFile() {
    static const Folder folder;
    static const std::string file = folder.path + "/host.yaml";
    return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream out(configFile(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        micro_order::host::loadHostConfig(configFile());
    } catch (const micro_order::host::ConfigError&) {
    }
    return 0;
}
