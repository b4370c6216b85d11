#include "nginx_upstream.hpp"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "support/host_process.hpp"
#include "support/test_environment.hpp"

using namespace std::chrono_literals;

namespace micro_order::testing {
namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

bool accepts(unsigned short port) {
    try {
        Poco::Net::StreamSocket socket;
        socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(0, 200000));
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

/// One worker is plenty for a test; no keep-alive to the upstreams, so a host killed under load
/// costs only the requests it was serving (a refused connect goes to the next server, even for
/// a POST, since nothing was sent), never a reused connection to a dead process.
std::string config(const std::string& folder, unsigned short port, const std::vector<unsigned short>& backends) {
    std::string servers;
    for (const unsigned short backend : backends) {
        servers += "        server 127.0.0.1:" + std::to_string(backend) + " max_fails=1 fail_timeout=30s;\n";
    }
    return "daemon off;\n"
           "worker_processes 1;\n"
           "pid " +
           folder +
           "/nginx.pid;\n"
           "error_log " +
           folder +
           "/error.log warn;\n"
           "events { worker_connections 256; }\n"
           "http {\n"
           // Which host served each request, to see that both did.
           "    log_format upstream '$upstream_addr $status';\n"
           "    access_log " +
           folder +
           "/access.log upstream;\n"
           "    client_body_temp_path " +
           folder +
           "/body;\n"
           "    proxy_temp_path " +
           folder +
           "/proxy;\n"
           "    fastcgi_temp_path " +
           folder +
           "/fastcgi;\n"
           "    uwsgi_temp_path " +
           folder +
           "/uwsgi;\n"
           "    scgi_temp_path " +
           folder +
           "/scgi;\n"
           "    upstream service {\n" +
           servers +
           "    }\n"
           "    server {\n"
           "        listen 127.0.0.1:" +
           std::to_string(port) +
           ";\n"
           "        location / {\n"
           "            proxy_pass http://service;\n"
           "            proxy_http_version 1.1;\n"
           "            proxy_set_header Host $host;\n"
           "            proxy_next_upstream error timeout;\n"
           "            proxy_connect_timeout 2s;\n"
           "            proxy_read_timeout 30s;\n"
           "        }\n"
           "    }\n"
           "}\n";
}

}  // namespace

NginxUpstream::NginxUpstream(const std::vector<unsigned short>& backends)
    : folder_(std::make_unique<TempDir>("micro-order-nginx")), port_(freePort()) {
    // As root, nginx's worker runs as `nobody`: it must reach its temp folders.
    ::chmod(folder_->path().c_str(), 0755);
    const std::string file = folder_->file("nginx.conf");
    writeFile(file, config(folder_->path(), port_, backends));
    pid_ = spawnProcess(kNginx, {"-p", folder_->path(), "-c", file, "-e", folder_->file("error.log")},
                        folder_->file("out.log"), folder_->file("out.log"));
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!accepts(port_)) {
        if (waitForExit(pid_, 0ms) || std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            waitForExit(pid_, 5s);
            throw std::runtime_error("nginx did not start: " + readFile(folder_->file("out.log")) + errorLog());
        }
        std::this_thread::sleep_for(20ms);
    }
}

NginxUpstream::~NginxUpstream() {
    // SIGTERM: nginx's fast stop, the master takes its worker along.
    ::kill(pid_, SIGTERM);
    if (!waitForExit(pid_, 5s)) {
        ::kill(pid_, SIGKILL);
        waitForExit(pid_, 5s);
    }
}

std::string NginxUpstream::errorLog() const { return readFile(folder_->file("error.log")); }

int NginxUpstream::servedBy(unsigned short backend) const {
    // nginx writes each line at the end of its request; one line per attempt of a request.
    const std::string log = readFile(folder_->file("access.log"));
    const std::string address = "127.0.0.1:" + std::to_string(backend) + " ";
    int count = 0;
    for (std::size_t at = log.find(address); at != std::string::npos; at = log.find(address, at + 1)) {
        ++count;
    }
    return count;
}

}  // namespace micro_order::testing
