#include "random_uuid.hpp"

#include <Poco/UUID.h>
#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <system_error>

namespace micro_order::host {
namespace {

class RandomBytes {
public:
    /// The next 16 bytes, refilling from getrandom(2) when used up.
    const unsigned char* take16() {
        if (used_ + 16 > buffer_.size()) {
            refill();
        }
        const unsigned char* bytes = buffer_.data() + used_;
        used_ += 16;
        return bytes;
    }

private:
    void refill() {
        std::size_t filled = 0;
        while (filled < buffer_.size()) {
            const ssize_t got = getrandom(buffer_.data() + filled, buffer_.size() - filled, 0);
            if (got < 0) {
                if (errno == EINTR) {
                    continue;
                }
                throw std::system_error(errno, std::generic_category(), "getrandom");
            }
            filled += static_cast<std::size_t>(got);
        }
        used_ = 0;
    }

    std::array<unsigned char, 4096> buffer_{};
    std::size_t used_ = sizeof buffer_;
};

}  // namespace

std::string newRandomUuid() {
    thread_local RandomBytes random;
    std::array<char, 16> bytes;
    const unsigned char* source = random.take16();
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<char>(source[i]);
    }
    // RFC 4122 version 4 (random) and variant 1 bits.
    bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);
    bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
    Poco::UUID uuid;
    uuid.copyFrom(bytes.data());
    return uuid.toString();
}

}  // namespace micro_order::host
