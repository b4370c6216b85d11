#pragma once

// The disk's own ceiling for durable commits, with no SQLite: what one `fdatasync` costs in the
// folder the bench's databases live in. With `synchronous: FULL` every SQLite commit ends in one
// `fdatasync` of its WAL (checked with strace on this machine), so this is the most commits per
// second one database can make, whatever the host does; group commit decides how many orders
// each of them carries.

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace micro_order::bench {

struct FsyncSpec {
    std::string folder;                        ///< where the test file goes (the databases' folder)
    std::chrono::milliseconds duration{2000};  ///< per pattern
    std::size_t writeBytes = 4120;             ///< one WAL frame: a 4 KiB page and its 24-byte header
    /// The file the frames cycle through once it is full, as a WAL is rewritten from its start
    /// after each checkpoint (so, like SQLite's, most syncs do not change the file's size).
    std::size_t fileBytes = 4 << 20;
    int threads = 1;  ///< files synced at once, each by its own thread (three databases)
};

/// Prints a report and one `RESULT mode=fsync key=value ...` line: syncs per second and their
/// latency, for a file rewritten in place (SQLite's steady state) and for a growing one.
bool runFsyncCeiling(const FsyncSpec& spec, std::ostream& out);

}  // namespace micro_order::bench
