#pragma once

#include <sys/types.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace micro_order::host {

/// An account from the user database (`user:` in the config).
struct ServiceUser {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;  ///< its primary group
};

/// The host cannot become its service user, or could become root again afterwards.
class PrivilegeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A state file (a database and its -wal/-shm) or its folder belongs to someone other than the
/// user the host runs as: it could not write it, or another account could change its data.
class StateFileOwnerError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// `name` from the user database, or nullopt when there is no such account.
std::optional<ServiceUser> lookUpUser(const std::string& name);

/// Becomes `user` for good: its supplementary groups (initgroups), then its group and its user
/// as real, effective and saved ids, for every thread. Then proves it: the ids are the user's,
/// no capability is left, and setuid(0)/setgid(0) fail. Throws PrivilegeError otherwise. Call
/// it as root, after binding privileged ports and before opening any file the user should own.
void becomeUser(const ServiceUser& user);

/// Checks the state files of each database path: the file, its `-wal`, `-shm` and `-journal`
/// siblings and the folder they live in, where they exist, must belong to the user this
/// process runs as (and the folder must be writable by it). Throws StateFileOwnerError naming
/// every file that does not, with the owner and the fix.
void checkStateFileOwners(const std::vector<std::string>& databasePaths);

}  // namespace micro_order::host
