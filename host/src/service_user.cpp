#include "service_user.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "file_trust.hpp"

namespace micro_order::host {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& what) { throw PrivilegeError(what + ": " + std::strerror(errno)); }

/// The `CapEff:` mask of this process: what it can do beyond its ids.
std::string effectiveCapabilities() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("CapEff:")) {
            return line.substr(line.find_first_not_of(" \t", 7));
        }
    }
    return "unknown";
}

}  // namespace

std::optional<ServiceUser> lookUpUser(const std::string& name) {
    std::array<char, 4096> buffer{};
    struct passwd entry {};
    struct passwd* found = nullptr;
    if (::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found) {
        return std::nullopt;
    }
    return ServiceUser{found->pw_name, found->pw_uid, found->pw_gid};
}

void becomeUser(const ServiceUser& user) {
    const std::string who = userName(user.uid);
    // glibc applies each of these to every thread of the process, not only the caller.
    if (::initgroups(user.name.c_str(), user.gid) != 0) {
        fail("cannot take the groups of " + who);
    }
    if (::setresgid(user.gid, user.gid, user.gid) != 0) {
        fail("cannot switch to group " + std::to_string(user.gid) + " of " + who);
    }
    if (::setresuid(user.uid, user.uid, user.uid) != 0) {
        fail("cannot switch to user " + who);
    }
    uid_t real = 0, effective = 0, saved = 0;
    gid_t realGroup = 0, effectiveGroup = 0, savedGroup = 0;
    ::getresuid(&real, &effective, &saved);
    ::getresgid(&realGroup, &effectiveGroup, &savedGroup);
    if (real != user.uid || effective != user.uid || saved != user.uid || realGroup != user.gid ||
        effectiveGroup != user.gid || savedGroup != user.gid) {
        throw PrivilegeError("switched to " + who + " but the process ids did not all follow");
    }
    if (user.uid == 0) {
        return;  // `user: root` asks for nothing to drop
    }
    // The proof: with every id the user's, there must be no way back.
    if (::setuid(0) == 0 || ::seteuid(0) == 0) {
        throw PrivilegeError("switched to " + who + " but could become root again");
    }
    if (user.gid != 0 && (::setgid(0) == 0 || ::setegid(0) == 0)) {
        throw PrivilegeError("switched to " + who + " but could take group root again");
    }
    if (const std::string capabilities = effectiveCapabilities();
        capabilities.find_first_not_of('0') != std::string::npos) {
        throw PrivilegeError("switched to " + who + " but capabilities are left (CapEff " + capabilities + ")");
    }
}

void checkStateFileOwners(const std::vector<std::string>& databasePaths) {
    const uid_t self = ::geteuid();
    std::string problems;
    const auto report = [&](const std::string& problem) { problems += (problems.empty() ? "" : "; ") + problem; };
    for (const auto& path : databasePaths) {
        const fs::path folder = fs::path(path).parent_path();
        struct stat status {};
        if (::stat(folder.c_str(), &status) == 0 && ::access(folder.c_str(), W_OK | X_OK) != 0) {
            std::array<char, 8> mode{};
            std::snprintf(mode.data(), mode.size(), "%04o", static_cast<unsigned>(status.st_mode & 07777));
            report("folder " + folder.string() + " (owned by " + userName(status.st_uid) + ", mode " + mode.data() +
                   ") is not writable by it");
        }
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
            const std::string file = path + suffix;
            if (::lstat(file.c_str(), &status) == 0 && status.st_uid != self) {
                report(file + " is owned by " + userName(status.st_uid));
            }
        }
    }
    if (!problems.empty()) {
        throw StateFileOwnerError("state files must belong to " + userName(self) +
                                  ", the user the host runs as: " + problems + " (chown them to that user)");
    }
}

}  // namespace micro_order::host
