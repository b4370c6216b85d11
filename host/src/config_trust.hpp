#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "host_config.hpp"

namespace micro_order::host {

/// The files `config` was read from (config.sources: the YAML file, its conf.d fragments, its
/// secrets) that the host must not trust when it runs as `runAs`, one problem per line naming
/// the path and the reason (TrustedFile's checks: owner, write access, the folders above).
std::vector<std::string> untrustedSources(const HostConfig& config, uid_t runAs);

/// The user the host runs as with `config`: its `user:` when started as root, else itself. The
/// files it trusts may belong to that user (or root).
uid_t runUid(const HostConfig& config);

}  // namespace micro_order::host
