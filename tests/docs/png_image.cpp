#include "png_image.hpp"

#include <Poco/InflatingStream.h>

#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "support/temp_dir.hpp"

namespace micro_order::testing {
namespace {

std::uint32_t bigEndian(const std::string& bytes, std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])) << 24 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
}

int paeth(int a, int b, int c) {
    const int p = a + b - c;
    const int pa = std::abs(p - a);
    const int pb = std::abs(p - b);
    const int pc = std::abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

}  // namespace

std::array<std::uint8_t, 4> PngImage::at(int x, int y) const {
    const std::size_t i =
        (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 4;
    return {rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]};
}

PngImage readPng(const std::string& file) {
    const std::string bytes = readFile(file);
    if (bytes.size() < 8 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
        throw std::runtime_error(file + " is not a PNG");
    }
    PngImage image;
    int channels = 0;
    std::string compressed;
    for (std::size_t at = 8; at + 8 <= bytes.size();) {
        const std::uint32_t length = bigEndian(bytes, at);
        const std::string type = bytes.substr(at + 4, 4);
        const std::size_t data = at + 8;
        if (data + length > bytes.size()) {
            throw std::runtime_error(file + ": truncated chunk " + type);
        }
        if (type == "IHDR") {
            image.width = static_cast<int>(bigEndian(bytes, data));
            image.height = static_cast<int>(bigEndian(bytes, data + 4));
            const int depth = static_cast<unsigned char>(bytes[data + 8]);
            const int colour = static_cast<unsigned char>(bytes[data + 9]);
            const int interlace = static_cast<unsigned char>(bytes[data + 12]);
            if (depth != 8 || (colour != 2 && colour != 6) || interlace != 0) {
                throw std::runtime_error(file + ": only 8-bit RGB/RGBA, not interlaced, is read here");
            }
            channels = colour == 6 ? 4 : 3;
        } else if (type == "IDAT") {
            compressed.append(bytes, data, length);
        } else if (type == "IEND") {
            break;
        }
        at = data + length + 4;  // and the CRC
    }
    std::istringstream in(compressed);
    Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_ZLIB);
    const std::string raw((std::istreambuf_iterator<char>(inflater)), std::istreambuf_iterator<char>());
    const std::size_t stride = static_cast<std::size_t>(image.width) * static_cast<std::size_t>(channels);
    if (channels == 0 || raw.size() < (stride + 1) * static_cast<std::size_t>(image.height)) {
        throw std::runtime_error(file + ": image data too short");
    }
    std::vector<std::uint8_t> previous(stride, 0);
    std::vector<std::uint8_t> row(stride);
    image.rgba.resize(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 4);
    for (int y = 0; y < image.height; ++y) {
        const std::size_t base = static_cast<std::size_t>(y) * (stride + 1);
        const int filter = static_cast<unsigned char>(raw[base]);
        for (std::size_t i = 0; i < stride; ++i) {
            const int x = static_cast<unsigned char>(raw[base + 1 + i]);
            const int a = i >= static_cast<std::size_t>(channels) ? row[i - static_cast<std::size_t>(channels)] : 0;
            const int b = previous[i];
            const int c =
                i >= static_cast<std::size_t>(channels) ? previous[i - static_cast<std::size_t>(channels)] : 0;
            const int predicted = filter == 0   ? 0
                                  : filter == 1 ? a
                                  : filter == 2 ? b
                                  : filter == 3 ? (a + b) / 2
                                                : paeth(a, b, c);
            row[i] = static_cast<std::uint8_t>((x + predicted) & 0xFF);
        }
        for (int x = 0; x < image.width; ++x) {
            std::uint8_t* pixel = &image.rgba[(static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) +
                                               static_cast<std::size_t>(x)) *
                                              4];
            std::memcpy(pixel, &row[static_cast<std::size_t>(x) * static_cast<std::size_t>(channels)], 3);
            pixel[3] = channels == 4 ? row[static_cast<std::size_t>(x) * 4 + 3] : 255;
        }
        previous = row;
    }
    return image;
}

int countPixelsNear(const PngImage& image, std::uint32_t rgb, int tolerance) {
    const int r = static_cast<int>(rgb >> 16 & 0xFF);
    const int g = static_cast<int>(rgb >> 8 & 0xFF);
    const int b = static_cast<int>(rgb & 0xFF);
    int count = 0;
    for (std::size_t i = 0; i + 3 < image.rgba.size(); i += 4) {
        if (std::abs(image.rgba[i] - r) <= tolerance && std::abs(image.rgba[i + 1] - g) <= tolerance &&
            std::abs(image.rgba[i + 2] - b) <= tolerance) {
            ++count;
        }
    }
    return count;
}

}  // namespace micro_order::testing
