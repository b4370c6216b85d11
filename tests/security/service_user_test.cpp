// Never root at work (issue 14, point 2): the real host started as root with `user:` binds its
// listeners, then runs as that user, and its database files are that user's. Runs as root, as
// CI does (it creates a throwaway user).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "support/host_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_environment.hpp"
#include "support/test_yaml.hpp"
#include "throwaway_user.hpp"

namespace micro_order::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kExitConfig = 78;

/// The `Name:` lines of /proc/PID/status.
std::map<std::string, std::string> processStatus(pid_t pid) {
    std::map<std::string, std::string> fields;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        std::string value = line.substr(line.find_first_not_of(" \t", colon + 1));
        value.erase(value.find_last_not_of(" \t") + 1);
        fields[line.substr(0, colon)] = value;
    }
    return fields;
}

/// A port below 1024 free on 127.0.0.1 (only root may bind one), or 0.
unsigned short freePrivilegedPort() {
    for (unsigned short port = 1000; port > 600; --port) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::close(fd);
        if (free) {
            return port;
        }
    }
    return 0;
}

uid_t ownerOf(const fs::path& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0 ? status.st_uid : static_cast<uid_t>(-1);
}

/// A folder the service user can reach (0755, root's) with `state/` owned by that user.
class ServiceUserTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(::geteuid(), 0u) << "the host must be started as root here: run the tests as root (CI does)";
        ::chmod(folder_.path().c_str(), 0755);
        fs::create_directory(state_);
        ::chmod(state_.c_str(), 0700);
        user_.own(state_.string());
    }
    std::string yaml(unsigned short port) const {
        return yamlHeader() + "user: " + user_.name() +
               "\ndatabases:\n  things:\n    path: state/things.sqlite3\n"
               "plugins:\n  - name: echo\n    library: test_echo\n    listen: 127.0.0.1:" +
               std::to_string(port) + "\n    database: things\n    config:\n      rows: true\n";
    }

    ThrowawayUser user_;
    TempDir folder_;
    fs::path state_ = folder_.file("state");
};

TEST_F(ServiceUserTest, StartedAsRootItBindsThenRunsAsTheUserWhoseDatabaseFilesTheyAre) {
    const unsigned short port = freePrivilegedPort();
    ASSERT_NE(port, 0) << "no free port below 1024 on 127.0.0.1";
    HostProcess host(yaml(port), folder_.path());
    host.waitUntilReady(15s);

    const auto status = processStatus(host.pid());
    const std::string uid = std::to_string(user_.uid());
    const std::string gid = std::to_string(user_.gid());
    HttpClient client(port);
    const HttpResult created = client.post("/rows/", R"({"note": "as the service user"})");

    // Real, effective, saved and file-system ids: the user's, and no group root.
    EXPECT_EQ(status.at("Uid"), uid + "\t" + uid + "\t" + uid + "\t" + uid) << host.log();
    EXPECT_EQ(status.at("Gid"), gid + "\t" + gid + "\t" + gid + "\t" + gid);
    EXPECT_EQ(status.at("Groups"), gid);
    EXPECT_EQ(status.at("CapEff"), "0000000000000000");
    // It bound a port only root may bind: the listener came first.
    EXPECT_EQ(client.get("/healthz").status, 200);
    EXPECT_EQ(created.status, 201) << created.body;
    for (const char* file : {"things.sqlite3", "things.sqlite3-wal", "things.sqlite3-shm"}) {
        EXPECT_EQ(ownerOf(state_ / file), user_.uid()) << file;
    }
    EXPECT_NE(host.log().find("switched to user " + user_.name() + " (uid " + uid), std::string::npos) << host.log();
}

TEST_F(ServiceUserTest, AStateFileOwnedBySomeoneElseIsReportedByName) {
    std::ofstream(state_ / "things.sqlite3").close();  // root's, as after a run by hand as root

    HostProcess host(yaml(freePort()), folder_.path());

    EXPECT_EQ(host.wait(10s), kExitConfig) << host.log();
    EXPECT_NE(host.log().find((state_ / "things.sqlite3").string() + " is owned by root (uid 0)"), std::string::npos)
        << host.log();
    EXPECT_NE(host.log().find("state files must belong to " + user_.name()), std::string::npos) << host.log();
}

TEST_F(ServiceUserTest, CheckConfigAsRootLoadsPluginsAsTheUser) {
    writeFile(folder_.file("host.yaml"), yaml(freePort()));

    const RunResult result = HostProcess::runToCompletion({"--check-config", "--config", folder_.file("host.yaml")});

    EXPECT_EQ(result.exitCode, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("(plugin test_echo) as " + user_.name() + " (uid " + std::to_string(user_.uid()) + ")"),
              std::string::npos)
        << result.out;
    EXPECT_FALSE(fs::exists(state_ / "things.sqlite3"));
}

TEST(ServiceUser, AnUnknownUserIsAConfigError) {
    TempDir folder;
    writeFile(folder.file("host.yaml"),
              yamlHeader() + "user: no-such-user-here\nplugins:\n  - name: echo\n    library: test_echo\n");

    const RunResult result = HostProcess::runToCompletion({"--check-config", "--config", folder.file("host.yaml")});

    EXPECT_EQ(result.exitCode, kExitConfig) << result.out << result.err;
    EXPECT_NE(result.err.find(": user: no such user 'no-such-user-here'"), std::string::npos) << result.err;
}

TEST(ServiceUser, ARootHostWithoutAUserSaysSo) {
    HostProcess host(yamlHeader() + "plugins:\n  - name: echo\n    library: test_echo\n    listen: 127.0.0.1:" +
                     std::to_string(freePort()) + "\n");
    host.waitUntilReady();
    EXPECT_NE(host.log().find("running as root: name the account to run as with `user:`"), std::string::npos)
        << host.log();
}

}  // namespace
}  // namespace micro_order::testing
