#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace micro_order::testing {

/// A TCP relay on 127.0.0.1 between the host and the broker, so a test can cut the network
/// under a running host without disturbing the broker other tests share.
class TcpProxy {
public:
    TcpProxy(unsigned short targetPort);
    ~TcpProxy();

    unsigned short port() const { return port_; }
    /// Drops every open connection and refuses new ones until restore().
    void cut();
    /// A link that dies silently (a machine gone, a blackholing firewall): every connection stays
    /// open but nothing is forwarded either way, and new connections are left unanswered (the
    /// kernel's backlog takes them), until restore(). No FIN, no RST.
    void freeze();
    void restore();

private:
    void acceptLoop();
    void pump(int client, int server);

    unsigned short targetPort_;
    unsigned short port_ = 0;
    int listener_ = -1;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> cut_{false};
    std::atomic<bool> frozen_{false};
    std::mutex mutex_;
    std::vector<int> open_;  ///< sockets of live connections, to shut down on cut()
    std::vector<std::thread> pumps_;
    std::thread acceptor_;
};

}  // namespace micro_order::testing
