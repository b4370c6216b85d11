#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace micro_order::testing {

/// A real nginx (Debian's nginx-light) in front of several hosts of one service, as
/// etc/cluster/ deploys it: one `upstream` of `backends`, served on 127.0.0.1:port(). Its config,
/// pid file, logs and temp folders live in a TempDir; it runs in the foreground as a child of the
/// test (so PR_SET_PDEATHSIG ends it with a crashed test) and the destructor stops it.
class NginxUpstream {
public:
    explicit NginxUpstream(const std::vector<unsigned short>& backends);
    ~NginxUpstream();
    NginxUpstream(const NginxUpstream&) = delete;
    NginxUpstream& operator=(const NginxUpstream&) = delete;

    unsigned short port() const { return port_; }
    /// nginx's error log (where it says which upstream failed).
    std::string errorLog() const;
    /// Requests passed to 127.0.0.1:`backend` so far, answered or not (from the access log).
    int servedBy(unsigned short backend) const;

private:
    std::unique_ptr<TempDir> folder_;
    unsigned short port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace micro_order::testing
