#include "fsync_ceiling.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iomanip>
#include <ostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "latency_stats.hpp"

namespace micro_order::bench {
namespace {

struct SyncRun {
    std::int64_t syncs = 0;
    double seconds = 0;
    std::vector<std::int64_t> latencyMicros;
};

/// Writes a frame and fdatasyncs it, again and again, for `duration`. `grow`: every frame goes
/// past the end (a WAL growing); otherwise frames cycle through a file of `fileBytes` written
/// beforehand (a WAL rewritten from its start).
SyncRun syncLoop(const FsyncSpec& spec, const std::string& path, bool grow) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
    }
    std::vector<char> frame(spec.writeBytes, 'w');
    const std::size_t frames = std::max<std::size_t>(1, spec.fileBytes / spec.writeBytes);
    if (!grow) {
        for (std::size_t i = 0; i < frames; ++i) {
            if (::pwrite(fd, frame.data(), frame.size(), static_cast<off_t>(i * frame.size())) < 0) {
                ::close(fd);
                throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
            }
        }
        ::fsync(fd);  // the file's size and blocks are on disk before the timed loop
    }
    SyncRun run;
    run.latencyMicros.reserve(100000);
    const auto began = std::chrono::steady_clock::now();
    const auto until = began + spec.duration;
    for (std::size_t i = 0;; ++i) {
        const auto before = std::chrono::steady_clock::now();
        if (before >= until) {
            break;
        }
        const std::size_t slot = grow ? i : i % frames;
        if (::pwrite(fd, frame.data(), frame.size(), static_cast<off_t>(slot * frame.size())) < 0 ||
            ::fdatasync(fd) != 0) {
            ::close(fd);
            throw std::runtime_error("cannot write and sync " + path + ": " + std::strerror(errno));
        }
        run.latencyMicros.push_back(
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - before).count());
        ++run.syncs;
    }
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    ::close(fd);
    ::unlink(path.c_str());
    return run;
}

/// `spec.threads` loops at once, on a file each; their syncs and latencies pooled.
SyncRun syncLoops(const FsyncSpec& spec, bool grow) {
    std::vector<SyncRun> runs(static_cast<std::size_t>(spec.threads));
    std::vector<std::string> errors(runs.size());
    {
        std::vector<std::jthread> threads;
        for (std::size_t t = 0; t < runs.size(); ++t) {
            threads.emplace_back([&, t] {
                try {
                    runs[t] = syncLoop(spec, spec.folder + "/fsync-ceiling-" + std::to_string(t) + ".bin", grow);
                } catch (const std::exception& error) {
                    errors[t] = error.what();
                }
            });
        }
    }
    SyncRun total;
    for (std::size_t t = 0; t < runs.size(); ++t) {
        if (!errors[t].empty()) {
            throw std::runtime_error(errors[t]);
        }
        total.syncs += runs[t].syncs;
        total.seconds = std::max(total.seconds, runs[t].seconds);
        total.latencyMicros.insert(total.latencyMicros.end(), runs[t].latencyMicros.begin(),
                                   runs[t].latencyMicros.end());
    }
    return total;
}

}  // namespace

bool runFsyncCeiling(const FsyncSpec& spec, std::ostream& out) {
    SyncRun rewrite = syncLoops(spec, false);
    SyncRun grow = syncLoops(spec, true);
    const double rewriteRate = static_cast<double>(rewrite.syncs) / std::max(rewrite.seconds, 1e-9);
    const double growRate = static_cast<double>(grow.syncs) / std::max(grow.seconds, 1e-9);
    const LatencySummary rewriteLatency = summarize(rewrite.latencyMicros);
    const LatencySummary growLatency = summarize(grow.latencyMicros);
    out << std::fixed << std::setprecision(2) << "fsync ceiling in " << spec.folder << " (" << spec.threads << " file"
        << (spec.threads == 1 ? "" : "s") << " at once, " << spec.writeBytes
        << "-byte writes, each followed by fdatasync): rewriting in place " << rewriteRate << " syncs/s (p50 "
        << rewriteLatency.p50Ms << " ms, p99 " << rewriteLatency.p99Ms << " ms); growing the file " << growRate
        << " syncs/s (p50 " << growLatency.p50Ms << " ms, p99 " << growLatency.p99Ms << " ms)\n";
    out << "RESULT mode=fsync name=x" << spec.threads << " ok=" << (rewrite.syncs > 0 && grow.syncs > 0 ? 1 : 0)
        << " threads=" << spec.threads << " syncs_per_s=" << rewriteRate << " sync_p50_ms=" << rewriteLatency.p50Ms
        << " sync_p99_ms=" << rewriteLatency.p99Ms << " grow_syncs_per_s=" << growRate
        << " grow_sync_p50_ms=" << growLatency.p50Ms << " grow_sync_p99_ms=" << growLatency.p99Ms << "\n";
    return rewrite.syncs > 0 && grow.syncs > 0;
}

}  // namespace micro_order::bench
