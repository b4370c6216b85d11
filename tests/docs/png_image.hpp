#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace micro_order::testing {

/// A decoded PNG, enough to look at the pixels of Chromium's screenshots: 8-bit RGB or RGBA,
/// not interlaced (what Chromium writes). Throws std::runtime_error for anything else.
struct PngImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba;  ///< row by row, 4 bytes per pixel

    std::array<std::uint8_t, 4> at(int x, int y) const;
};

PngImage readPng(const std::string& file);

/// Pixels whose red, green and blue are each within `tolerance` of `rgb` (0xRRGGBB).
int countPixelsNear(const PngImage& image, std::uint32_t rgb, int tolerance);

}  // namespace micro_order::testing
