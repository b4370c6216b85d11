#pragma once

#include <string>

namespace micro_order::testing {

/// A fresh folder under /tmp, removed with everything in it when the object goes away.
class TempDir {
public:
    /// `prefix` only makes the folder easier to find while a test runs.
    explicit TempDir(const std::string& prefix = "micro-order-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    /// `path()/name`; creates nothing.
    std::string file(const std::string& name) const;

private:
    std::string path_;
};

/// Writes `text` to `path`, replacing it; throws when it cannot.
void writeFile(const std::string& path, const std::string& text);
/// The whole file, or an empty string when it does not exist.
std::string readFile(const std::string& path);

}  // namespace micro_order::testing
