#pragma once

// Settings of a host database on a fresh file in `folder`: what the database tests open.

#include "host_config.hpp"
#include "support/temp_dir.hpp"

namespace micro_order::testing {

inline host::DatabaseSettings settingsIn(const TempDir& folder, int poolSize = 8) {
    host::DatabaseSettings settings;
    settings.name = "test";
    settings.path = folder.file("test.sqlite3");
    settings.poolSize = poolSize;
    return settings;
}

}  // namespace micro_order::testing
