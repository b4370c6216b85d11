// Feeds every file of the given folders (and files) to a fuzz target's LLVMFuzzerTestOneInput,
// once, in name order: the seed corpus and every crash kept from a fuzzing run replay in a
// plain build, as a ctest test of a few seconds. An input that crashes or lets an exception out
// fails the test (libFuzzer is not linked; scripts/fuzz.sh does the fuzzing).
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        if (fs::is_directory(argv[i])) {
            for (const auto& entry : fs::directory_iterator(argv[i])) {
                if (entry.is_regular_file()) {
                    inputs.push_back(entry.path());
                }
            }
        } else if (fs::is_regular_file(argv[i])) {
            inputs.emplace_back(argv[i]);
        } else {
            std::cerr << "FAIL: no such corpus folder or file: " << argv[i] << '\n';
            return 1;
        }
    }
    std::sort(inputs.begin(), inputs.end());
    if (inputs.empty()) {
        std::cerr << "FAIL: an empty corpus replays nothing\n";
        return 1;
    }
    for (const auto& input : inputs) {
        std::ifstream in(input, std::ios::binary);
        const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::cout << "replaying " << input.filename().string() << '\n' << std::flush;  // names a crash
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    std::cout << "ok: " << inputs.size() << " inputs\n";
    return 0;
}
