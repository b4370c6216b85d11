#pragma once

#include <sys/types.h>

#include <string>

namespace micro_order::testing {

/// A system account made for one test (useradd, as root) and deleted with the object, for
/// files owned by someone else and for the host's service user.
class ThrowawayUser {
public:
    ThrowawayUser();
    ~ThrowawayUser();
    ThrowawayUser(const ThrowawayUser&) = delete;
    ThrowawayUser& operator=(const ThrowawayUser&) = delete;

    const std::string& name() const { return name_; }
    uid_t uid() const { return uid_; }
    gid_t gid() const { return gid_; }

    /// chown `path` to this user and its group.
    void own(const std::string& path) const;

private:
    std::string name_;
    uid_t uid_ = 0;
    gid_t gid_ = 0;
};

}  // namespace micro_order::testing
