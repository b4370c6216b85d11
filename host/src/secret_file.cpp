#include "secret_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace micro_order::host {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxSecretBytes = 64 * 1024;

/// Closes the descriptor on every path out.
struct FileDescriptor {
    int fd;
    ~FileDescriptor() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

}  // namespace

fs::path secretFilePath(const std::string& written, const fs::path& base) {
    const std::string variable = "${" + std::string(kCredentialsDirectoryVariable);
    std::string path = written;
    if (written.starts_with(variable)) {
        const auto close = written.find('}');
        if (close == std::string::npos) {
            throw SecretFileError("'" + written + "': no '}' after ${" + std::string(kCredentialsDirectoryVariable));
        }
        const std::string inside = written.substr(variable.size(), close - variable.size());
        if (!inside.empty() && !inside.starts_with(":-")) {
            throw SecretFileError("'" + written + "': only ${" + std::string(kCredentialsDirectoryVariable) +
                                  "} and ${" + std::string(kCredentialsDirectoryVariable) + ":-FOLDER} are expanded");
        }
        const char* value = std::getenv(std::string(kCredentialsDirectoryVariable).c_str());
        if (value && *value) {
            path = value + written.substr(close + 1);
        } else if (inside.empty()) {
            throw SecretFileError("'" + written + "': " + std::string(kCredentialsDirectoryVariable) +
                                  " is not set (systemd sets it for a unit with LoadCredential=; "
                                  "${" +
                                  std::string(kCredentialsDirectoryVariable) +
                                  ":-FOLDER} names a folder for runs by hand)");
        } else {
            path = inside.substr(2) + written.substr(close + 1);
        }
    } else if (written.find("${") != std::string::npos) {
        throw SecretFileError("'" + written + "': only ${" + std::string(kCredentialsDirectoryVariable) +
                              "} is expanded, at the start of the path");
    }
    const fs::path result(path);
    return (result.is_absolute() ? result : base / result).lexically_normal();
}

std::string readSmallFile(const fs::path& path, std::size_t maxBytes, const std::string& what) {
    const auto fail = [&](const std::string& why) -> std::string {
        throw SecretFileError("cannot read the " + what + " in " + path.string() + ": " + why);
    };
    // O_NONBLOCK: a FIFO planted in place of the file must not hang start-up.
    FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)};
    if (file.fd < 0) {
        return fail(std::strerror(errno));
    }
    struct stat status {};
    if (::fstat(file.fd, &status) != 0) {
        return fail(std::strerror(errno));
    }
    if (!S_ISREG(status.st_mode)) {
        return fail("not a regular file");
    }
    if (static_cast<std::size_t>(status.st_size) > maxBytes) {
        return fail("larger than " + std::to_string(maxBytes / 1024) + " KiB");
    }
    std::string text(static_cast<std::size_t>(status.st_size), '\0');
    std::size_t got = 0;
    while (got < text.size()) {
        const ssize_t n = ::read(file.fd, text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return fail(std::strerror(errno));
        }
        if (n == 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    text.resize(got);
    if (text.empty()) {
        return fail("the file is empty");
    }
    return text;
}

std::string readSecretFile(const fs::path& path) {
    std::string text = readSmallFile(path, kMaxSecretBytes, "secret");
    if (text.ends_with("\r\n")) {
        text.resize(text.size() - 2);
    } else if (text.ends_with('\n')) {
        text.pop_back();
    }
    if (text.empty()) {
        throw SecretFileError("cannot read the secret in " + path.string() + ": the file is empty");
    }
    if (text.find_first_of(std::string("\n\r\0", 3)) != std::string::npos) {
        throw SecretFileError("cannot read the secret in " + path.string() +
                              ": it holds more than one line (or a NUL byte): one secret per file");
    }
    return text;
}

}  // namespace micro_order::host
