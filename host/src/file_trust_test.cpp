// Runs as root (as CI does): the tests hand files to other uids with chown.
#include "file_trust.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace micro_order::host {
namespace {

namespace fs = std::filesystem;

constexpr uid_t kStranger = 54321;  // an uid no account has: the tests only need a number

class FileTrustTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(::geteuid(), 0u) << "these tests chown files to other users: run them as root (CI does)";
        std::string pattern = "/tmp/file_trust_test-XXXXXX";  // mkdtemp: 0700, under root's sticky /tmp
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        fs::create_directories(dir_ / "plugins");
        ::chmod((dir_ / "plugins").c_str(), 0755);
        file_ = write("plugins/a.so", 0644);
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path write(const std::string& relative, mode_t mode) {
        std::ofstream(dir_ / relative) << "x";
        ::chmod((dir_ / relative).c_str(), mode);
        return dir_ / relative;
    }
    /// The reason `path` is refused, or "" when it is trusted.
    std::string refusal(const fs::path& path, TrustedKind kind = TrustedKind::kPlugin, uid_t runAs = 0) {
        try {
            TrustedFile file(path.string(), kind, runAs);
            EXPECT_GE(file.fd(), 0);
            return "";
        } catch (const UntrustedFileError& error) {
            return error.what();
        }
    }

    fs::path dir_;
    fs::path file_;
};

TEST_F(FileTrustTest, ARootOwnedFileInPrivateFoldersUnderTmpIsTrusted) { EXPECT_EQ(refusal(file_), ""); }

TEST_F(FileTrustTest, TheDescriptorIsTheFileAndProcPathNamesIt) {
    TrustedFile file(file_.string(), TrustedKind::kPlugin, 0);
    EXPECT_EQ(fs::read_symlink(file.procPath()), file_);
    EXPECT_EQ(file.realPath(), file_.string());
    struct stat status {};
    ASSERT_EQ(::stat(file_.c_str(), &status), 0);
    EXPECT_EQ(file.status().st_ino, status.st_ino);
}

TEST_F(FileTrustTest, AGroupWritableFolderIsRefusedByName) {
    ::chmod((dir_ / "plugins").c_str(), 0775);
    EXPECT_EQ(refusal(file_), "untrusted plugin " + file_.string() + ": folder " + (dir_ / "plugins").string() +
                                  " is writable by its group (mode 0775)");
}

TEST_F(FileTrustTest, AWorldWritableFileIsRefused) {
    ::chmod(file_.c_str(), 0666);
    EXPECT_EQ(refusal(file_), "untrusted plugin " + file_.string() + ": it is writable by others (mode 0666)");
}

TEST_F(FileTrustTest, AFileOfAnotherUserIsRefusedUnlessTheHostRunsAsThem) {
    ASSERT_EQ(::chown(file_.c_str(), kStranger, 0), 0);
    EXPECT_EQ(refusal(file_), "untrusted plugin " + file_.string() + ": it is owned by uid 54321, not by root");
    EXPECT_EQ(refusal(file_, TrustedKind::kPlugin, kStranger), "");
    EXPECT_NE(refusal(file_, TrustedKind::kPlugin, kStranger + 1).find("not by root or uid 54322"), std::string::npos);
}

TEST_F(FileTrustTest, AFolderOfAnotherUserIsRefused) {
    ASSERT_EQ(::chown((dir_ / "plugins").c_str(), kStranger, 0), 0);
    EXPECT_NE(refusal(file_).find("folder " + (dir_ / "plugins").string() + " is owned by uid 54321"),
              std::string::npos);
}

TEST_F(FileTrustTest, AStickyWorldWritableFolderCountsOnlyWhenRootOwnsIt) {
    ::chmod((dir_ / "plugins").c_str(), 01777);
    EXPECT_EQ(refusal(file_), "");  // like /tmp
    ASSERT_EQ(::chown((dir_ / "plugins").c_str(), kStranger, 0), 0);
    EXPECT_NE(refusal(file_, TrustedKind::kPlugin, kStranger).find("is writable by others (mode 1777)"),
              std::string::npos);
}

TEST_F(FileTrustTest, ASymlinkedPluginIsRefusedButASymlinkedConfigIsFollowed) {
    fs::create_symlink(file_, dir_ / "plugins/link.so");
    EXPECT_NE(refusal(dir_ / "plugins/link.so").find("it is a symbolic link"), std::string::npos);
    EXPECT_EQ(refusal(dir_ / "plugins/link.so", TrustedKind::kConfig), "");
}

TEST_F(FileTrustTest, FoldersAlongTheLinkAndAlongTheTargetAreBothChecked) {
    fs::create_directories(dir_ / "open");
    ::chmod((dir_ / "open").c_str(), 0777);
    // A link in an open folder to a good file: the link's folder is refused.
    fs::create_symlink(file_, dir_ / "open/host.yaml");
    EXPECT_NE(refusal(dir_ / "open/host.yaml", TrustedKind::kConfig).find("folder " + (dir_ / "open").string()),
              std::string::npos);
    // A link in a good folder to a file in an open folder: the target's folder is refused.
    const fs::path target = write("open/real.yaml", 0644);
    fs::create_symlink(target, dir_ / "plugins/host.yaml");
    EXPECT_NE(refusal(dir_ / "plugins/host.yaml", TrustedKind::kConfig).find("folder " + (dir_ / "open").string()),
              std::string::npos);
}

TEST_F(FileTrustTest, ASecretMustNotBeReadableByOthers) {
    const fs::path secret = write("plugins/amqp-url", 0644);
    EXPECT_NE(refusal(secret, TrustedKind::kSecret).find("holds a secret and is readable by others (mode 0644)"),
              std::string::npos);
    ::chmod(secret.c_str(), 0640);
    EXPECT_EQ(refusal(secret, TrustedKind::kSecret), "");
    EXPECT_EQ(refusal(write("plugins/host.yaml", 0644), TrustedKind::kConfig), "");
}

TEST_F(FileTrustTest, WhatIsNotARegularFileIsRefused) {
    EXPECT_NE(refusal(dir_ / "plugins").find("not a regular file"), std::string::npos);
    EXPECT_NE(refusal(dir_ / "missing.so").find("No such file"), std::string::npos);
}

}  // namespace
}  // namespace micro_order::host
