#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace micro_order::host {

/// A file the host refuses to trust; the message names the path and the reason.
class UntrustedFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What a file is to the host, which decides the checks beyond ownership and write access.
enum class TrustedKind {
    kConfig,  ///< a YAML file or conf.d fragment: symbolic links are followed
    kSecret,  ///< a `*_file:` secret: also not readable by others
    kPlugin,  ///< a plugin library: never through a symbolic link
};

/// OpenSSH's StrictModes for the files the host reads code and configuration from: the file,
/// and every folder from it up to `/`, must be owned by root or by `runAs` (the user the host
/// runs as) and not be writable by group or others; otherwise someone else could change what
/// the host runs. A folder owned by root with the sticky bit (`/tmp`) is accepted as an
/// ancestor: others may add entries to it but not replace ours. Folders are checked along the
/// path as written and along the real path (symbolic links resolved), so a link cannot lead
/// around them.
///
/// Opens the file (O_NOFOLLOW for a plugin) and checks the open descriptor, so the file
/// checked is the file used: read or load it through fd() / procPath().
class TrustedFile {
public:
    /// Throws UntrustedFileError naming `path` and what is wrong.
    TrustedFile(const std::string& path, TrustedKind kind, uid_t runAs);
    ~TrustedFile();
    TrustedFile(TrustedFile&& other) noexcept;
    TrustedFile(const TrustedFile&) = delete;
    TrustedFile& operator=(const TrustedFile&) = delete;
    TrustedFile& operator=(TrustedFile&&) = delete;

    int fd() const { return fd_; }
    /// `/proc/self/fd/N`: the open file by a name dlopen() accepts.
    std::string procPath() const;
    /// The file's real path (symbolic links of its folders resolved).
    const std::string& realPath() const { return realPath_; }
    const struct stat& status() const { return status_; }
    /// Gives the descriptor up to the caller, who closes it.
    int release();

private:
    int fd_ = -1;
    std::string realPath_;
    struct stat status_ {};
};

/// The account name of `uid` for messages, or the number when it has none.
std::string userName(uid_t uid);

}  // namespace micro_order::host
