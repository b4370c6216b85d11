#include "throwaway_user.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace micro_order::testing {

ThrowawayUser::ThrowawayUser() : name_("mo-test-" + std::to_string(::getpid())) {
    if (::geteuid() != 0) {
        throw std::runtime_error("this test creates a user with useradd and must run as root (CI does)");
    }
    // A name per process; a leftover of a killed run is removed first.
    const std::string remove = "userdel " + name_ + " >/dev/null 2>&1";
    [[maybe_unused]] int ignored = std::system(remove.c_str());
    const std::string add = "useradd --system --user-group --no-create-home --shell /usr/sbin/nologin " + name_;
    // useradd gives up at once when another process holds /etc/passwd's lock (a parallel test,
    // a package install): try a few times.
    bool added = false;
    for (int attempt = 0; attempt < 20 && !added; ++attempt) {
        added = std::system(add.c_str()) == 0;
        if (!added) {
            ::usleep(250 * 1000);
        }
    }
    if (!added) {
        throw std::runtime_error("cannot create a test user: " + add);
    }
    const struct passwd* entry = ::getpwnam(name_.c_str());
    if (!entry) {
        throw std::runtime_error("useradd made no " + name_);
    }
    uid_ = entry->pw_uid;
    gid_ = entry->pw_gid;
}

ThrowawayUser::~ThrowawayUser() {
    const std::string remove = "userdel " + name_ + " >/dev/null 2>&1";
    [[maybe_unused]] int ignored = std::system(remove.c_str());
}

void ThrowawayUser::own(const std::string& path) const {
    if (::chown(path.c_str(), uid_, gid_) != 0) {
        throw std::runtime_error("chown " + path + ": " + std::strerror(errno));
    }
}

}  // namespace micro_order::testing
