#include "file_trust.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

namespace micro_order::host {
namespace {

namespace fs = std::filesystem;

std::string octal(mode_t mode) {
    std::array<char, 8> text{};
    std::snprintf(text.data(), text.size(), "%04o", static_cast<unsigned>(mode & 07777));
    return text.data();
}

std::string owners(uid_t runAs) { return runAs == 0 ? "root" : "root or " + userName(runAs); }

/// Why a file or folder with `status` cannot be trusted, or nullopt. `what` starts the reason:
/// "it" for the file, "folder /x" for a folder.
std::optional<std::string> problemWith(const struct stat& status, const std::string& what, bool folder,
                                       TrustedKind kind, uid_t runAs) {
    const bool stickyRootFolder = folder && status.st_uid == 0 && (status.st_mode & S_ISVTX);
    if (status.st_uid != 0 && status.st_uid != runAs) {
        return what + " is owned by " + userName(status.st_uid) + ", not by " + owners(runAs);
    }
    if (!stickyRootFolder && (status.st_mode & (S_IWGRP | S_IWOTH))) {
        return what + " is writable by " + ((status.st_mode & S_IWOTH) ? "others" : "its group") + " (mode " +
               octal(status.st_mode) + ")";
    }
    if (!folder && kind == TrustedKind::kSecret && (status.st_mode & S_IROTH)) {
        return what + " holds a secret and is readable by others (mode " + octal(status.st_mode) + ")";
    }
    return std::nullopt;
}

/// Every folder above `file`, nearest first, up to `/`.
std::vector<fs::path> foldersAbove(const fs::path& file) {
    std::vector<fs::path> folders;
    for (fs::path folder = file.parent_path(); !folder.empty(); folder = folder.parent_path()) {
        folders.push_back(folder);
        if (folder == folder.root_path()) {
            break;
        }
    }
    return folders;
}

}  // namespace

std::string userName(uid_t uid) {
    std::array<char, 1024> buffer{};
    struct passwd entry {};
    struct passwd* found = nullptr;
    if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found) {
        return std::string(found->pw_name) + " (uid " + std::to_string(uid) + ")";
    }
    return "uid " + std::to_string(uid);
}

TrustedFile::TrustedFile(const std::string& path, TrustedKind kind, uid_t runAs) {
    const fs::path given = fs::absolute(path).lexically_normal();
    const auto fail = [&](const std::string& why) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        throw UntrustedFileError("untrusted " + std::string(kind == TrustedKind::kPlugin ? "plugin" : "file") + " " +
                                 given.string() + ": " + why);
    };
    // O_NONBLOCK: a FIFO in place of the file must not hang start-up.
    const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (kind == TrustedKind::kPlugin ? O_NOFOLLOW : 0);
    fd_ = ::open(given.c_str(), flags);
    if (fd_ < 0) {
        const int error = errno;
        std::error_code ignored;
        fail(error == ELOOP && fs::is_symlink(given, ignored)
                 ? "it is a symbolic link (name the file itself: a link can be changed by whoever owns its folder)"
                 : std::strerror(error));
    }
    if (::fstat(fd_, &status_) != 0) {
        fail(std::strerror(errno));
    }
    if (!S_ISREG(status_.st_mode)) {
        fail("not a regular file");
    }
    if (auto problem = problemWith(status_, "it", false, kind, runAs)) {
        fail(*problem);
    }
    std::error_code error;
    realPath_ = fs::read_symlink(procPath(), error).string();
    if (error) {
        fail("cannot resolve /proc/self/fd: " + error.message());
    }
    std::vector<fs::path> folders = foldersAbove(given);
    if (realPath_ != given.string()) {
        const auto real = foldersAbove(realPath_);
        folders.insert(folders.end(), real.begin(), real.end());
    }
    for (const auto& folder : folders) {
        struct stat status {};
        if (::stat(folder.c_str(), &status) != 0) {
            fail("folder " + folder.string() + ": " + std::strerror(errno));
        }
        if (auto problem = problemWith(status, "folder " + folder.string(), true, kind, runAs)) {
            fail(*problem);
        }
    }
}

TrustedFile::~TrustedFile() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

TrustedFile::TrustedFile(TrustedFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), realPath_(std::move(other.realPath_)), status_(other.status_) {}

std::string TrustedFile::procPath() const { return "/proc/self/fd/" + std::to_string(fd_); }

int TrustedFile::release() { return std::exchange(fd_, -1); }

}  // namespace micro_order::host
