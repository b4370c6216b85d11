#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace micro_order::host {

/// A secret file that cannot be named or read; the message names the file and the reason, never
/// its content.
class SecretFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The variable systemd sets to the folder of a unit's credentials (LoadCredential=).
inline constexpr std::string_view kCredentialsDirectoryVariable = "CREDENTIALS_DIRECTORY";

/// Where a `*_file:` setting points. It is a path, relative to `base` (the YAML file's folder)
/// unless absolute, and may start with systemd's credentials folder:
///
///   ${CREDENTIALS_DIRECTORY}/amqp-url              only under a unit with LoadCredential=amqp-url:…
///   ${CREDENTIALS_DIRECTORY:-credentials}/amqp-url the unit's copy, else credentials/amqp-url
///                                                  beside the YAML (a run by hand, --check-config)
///
/// No other `${…}` is expanded. Throws SecretFileError when the variable is needed and unset.
std::filesystem::path secretFilePath(const std::string& written, const std::filesystem::path& base);

/// The whole of `path` (what = "certificate", ... for messages): a regular file, not empty, at
/// most `maxBytes`. Throws SecretFileError. For PEM files and the like, read whole at start-up.
std::string readSmallFile(const std::filesystem::path& path, std::size_t maxBytes, const std::string& what);

/// The secret in `path`: the whole file, without one trailing newline (as `echo` or an editor
/// leaves it). Refuses a file that is not a regular file, is empty, is larger than 64 KiB or
/// holds another line or a NUL byte. Throws SecretFileError.
std::string readSecretFile(const std::filesystem::path& path);

}  // namespace micro_order::host
