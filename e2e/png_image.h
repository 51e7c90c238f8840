#pragma once
// Screenshots and goldens as pixels: PNG files read and written with libpng. An image is 8-bit
// RGB, 0x00RRGGBB per pixel, row-major; other PNG forms (palette, grey, 16-bit, alpha) are
// converted on reading, alpha dropped.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace osh::e2e {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint32_t> pixels;  // 0x00RRGGBB
  uint32_t at(int x, int y) const { return pixels[static_cast<size_t>(y) * width + x]; }
};

// Throws osh::InputError naming the file when it is missing or not a PNG.
Image read_png(const std::filesystem::path& path);
// Throws osh::InfraError naming the file when it cannot be written.
void write_png(const Image& image, const std::filesystem::path& path);

}  // namespace osh::e2e
