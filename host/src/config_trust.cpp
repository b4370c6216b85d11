#include "config_trust.hpp"

#include <unistd.h>

#include "file_trust.hpp"

namespace micro_order::host {

std::vector<std::string> untrustedSources(const HostConfig& config, uid_t runAs) {
    std::vector<std::string> problems;
    for (const auto& source : config.sources) {
        try {
            TrustedFile(source.path, source.secret ? TrustedKind::kSecret : TrustedKind::kConfig, runAs);
        } catch (const UntrustedFileError& error) {
            problems.push_back(error.what());
        }
    }
    return problems;
}

uid_t runUid(const HostConfig& config) {
    const uid_t self = ::geteuid();
    return self == 0 && config.user ? config.user->uid : self;
}

}  // namespace micro_order::host
