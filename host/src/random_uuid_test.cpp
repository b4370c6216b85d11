#include "random_uuid.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace micro_order::host {
namespace {

TEST(RandomUuid, IsAVersion4UuidInTextForm) {
    const std::regex version4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    // More than one 4 kB refill (256 UUIDs each).
    for (int i = 0; i < 1000; ++i) {
        const std::string uuid = newRandomUuid();
        ASSERT_TRUE(std::regex_match(uuid, version4)) << uuid;
    }
}

TEST(RandomUuid, NeverRepeatsWithinOrAcrossThreads) {
    constexpr int kThreads = 4;
    constexpr int kEach = 20000;
    std::vector<std::vector<std::string>> made(kThreads);
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&made, t] {
                for (int i = 0; i < kEach; ++i) {
                    made[static_cast<std::size_t>(t)].push_back(newRandomUuid());
                }
            });
        }
    }
    std::set<std::string> all;
    for (const auto& list : made) {
        all.insert(list.begin(), list.end());
    }
    EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
}

}  // namespace
}  // namespace micro_order::host
