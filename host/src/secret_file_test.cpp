#include "secret_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>

namespace micro_order::host {
namespace {

namespace fs = std::filesystem;

class SecretFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (const char* value = std::getenv(kCredentialsDirectoryVariable.data())) {
            saved_ = value;
        }
        ::unsetenv(kCredentialsDirectoryVariable.data());
        std::string pattern = "/tmp/secret_file_test-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        if (saved_) {
            ::setenv(kCredentialsDirectoryVariable.data(), saved_->c_str(), 1);
        } else {
            ::unsetenv(kCredentialsDirectoryVariable.data());
        }
        fs::remove_all(dir_);
    }
    fs::path write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name, std::ios::binary) << text;
        return dir_ / name;
    }
    std::string errorOf(const fs::path& path) {
        try {
            readSecretFile(path);
        } catch (const SecretFileError& error) {
            return error.what();
        }
        ADD_FAILURE() << "read " << path;
        return {};
    }

    fs::path dir_;
    std::optional<std::string> saved_;
};

TEST_F(SecretFileTest, RelativePathsAreRelativeToTheYamlFolder) {
    EXPECT_EQ(secretFilePath("secrets/amqp-url", "/etc/micro-order"), "/etc/micro-order/secrets/amqp-url");
    EXPECT_EQ(secretFilePath("/run/keys/amqp-url", "/etc/micro-order"), "/run/keys/amqp-url");
}

TEST_F(SecretFileTest, CredentialsDirectoryNamesTheUnitsCredentials) {
    ::setenv(kCredentialsDirectoryVariable.data(), "/run/credentials/micro-order.service", 1);
    EXPECT_EQ(secretFilePath("${CREDENTIALS_DIRECTORY}/amqp-url", "/etc/micro-order"),
              "/run/credentials/micro-order.service/amqp-url");
    EXPECT_EQ(secretFilePath("${CREDENTIALS_DIRECTORY:-credentials}/amqp-url", "/etc/micro-order"),
              "/run/credentials/micro-order.service/amqp-url");
}

TEST_F(SecretFileTest, TheFallbackFolderServesRunsOutsideAUnit) {
    EXPECT_EQ(secretFilePath("${CREDENTIALS_DIRECTORY:-credentials}/amqp-url", "/etc/micro-order"),
              "/etc/micro-order/credentials/amqp-url");
    ::setenv(kCredentialsDirectoryVariable.data(), "", 1);  // empty counts as unset
    EXPECT_EQ(secretFilePath("${CREDENTIALS_DIRECTORY:-/srv/keys}/amqp-url", "/etc/micro-order"), "/srv/keys/amqp-url");
}

TEST_F(SecretFileTest, AnUnsetCredentialsDirectoryWithoutFallbackIsAnError) {
    try {
        secretFilePath("${CREDENTIALS_DIRECTORY}/amqp-url", "/etc/micro-order");
        FAIL() << "expected a SecretFileError";
    } catch (const SecretFileError& error) {
        EXPECT_NE(std::string(error.what()).find("CREDENTIALS_DIRECTORY is not set"), std::string::npos)
            << error.what();
    }
}

TEST_F(SecretFileTest, OtherVariablesAreNotExpanded) {
    EXPECT_THROW(secretFilePath("${HOME}/amqp-url", "/etc"), SecretFileError);
    EXPECT_THROW(secretFilePath("${CREDENTIALS_DIRECTORY_X}/amqp-url", "/etc"), SecretFileError);
    EXPECT_THROW(secretFilePath("${CREDENTIALS_DIRECTORY/amqp-url", "/etc"), SecretFileError);
}

TEST_F(SecretFileTest, ReadsOneLineWithoutItsNewline) {
    EXPECT_EQ(readSecretFile(write("a", "amqp://u:p@h/\n")), "amqp://u:p@h/");
    EXPECT_EQ(readSecretFile(write("b", "amqp://u:p@h/\r\n")), "amqp://u:p@h/");
    EXPECT_EQ(readSecretFile(write("c", "amqp://u:p@h/")), "amqp://u:p@h/");
}

TEST_F(SecretFileTest, RefusesWhatIsNotOneSecretWithoutQuotingIt) {
    EXPECT_NE(errorOf(write("empty", "\n")).find("empty"), std::string::npos);
    const std::string twoLines = errorOf(write("two", "amqp://u:s3cret@h/\nmore\n"));
    EXPECT_NE(twoLines.find("more than one line"), std::string::npos) << twoLines;
    EXPECT_EQ(twoLines.find("s3cret"), std::string::npos) << twoLines;
    EXPECT_NE(errorOf(dir_).find("not a regular file"), std::string::npos);
    EXPECT_NE(errorOf(dir_ / "missing").find("No such file"), std::string::npos);
    EXPECT_NE(errorOf(write("big", std::string(70000, 'x'))).find("larger than"), std::string::npos);
}

TEST_F(SecretFileTest, AFifoDoesNotHang) {
    const fs::path fifo = dir_ / "fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_NE(errorOf(fifo).find("not a regular file"), std::string::npos);
}

}  // namespace
}  // namespace micro_order::host
