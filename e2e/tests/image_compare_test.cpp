#include "e2e/image_compare.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <fstream>

#include "e2e/png_image.h"
#include "harness/base/errors.h"
#include "harness/base/testing/temp_dir.h"

namespace osh::e2e {
namespace {

Image filled(int w, int h, uint32_t color) {
  return Image{w, h, std::vector<uint32_t>(static_cast<size_t>(w) * h, color)};
}

// Before main(): whether the process started with libpng loaded.
const bool libpng_at_start = ::dlopen("libpng16.so.16", RTLD_NOLOAD | RTLD_LAZY) != nullptr;

// Linked, libpng slowed every osharness process's start (e2e/libpng_loader.cpp): it is loaded when
// a PNG is first read or written, and only then.
TEST(PngImage, LibpngIsLoadedOnFirstUseOnly) {
  EXPECT_FALSE(libpng_at_start);
  test_support::TempDir dir;
  write_png(filled(2, 2, 0xabcdef), dir.path() / "first.png");
  EXPECT_EQ(read_png(dir.path() / "first.png").pixels, filled(2, 2, 0xabcdef).pixels);
  EXPECT_NE(::dlopen("libpng16.so.16", RTLD_NOLOAD | RTLD_LAZY), nullptr);
}

TEST(PngImage, WritesAndReadsBackEveryPixel) {
  test_support::TempDir dir;
  Image image = filled(5, 3, 0x123456);
  image.pixels[7] = 0xff00ff;
  write_png(image, dir.path() / "a.png");
  const Image back = read_png(dir.path() / "a.png");
  EXPECT_EQ(back.width, 5);
  EXPECT_EQ(back.height, 3);
  EXPECT_EQ(back.pixels, image.pixels);
}

TEST(PngImage, AFileThatIsNoPngIsAnInputErrorNamingIt) {
  test_support::TempDir dir;
  std::ofstream(dir.path() / "x.png") << "not a png";
  try {
    read_png(dir.path() / "x.png");
    FAIL() << "read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("x.png: not a readable PNG"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(read_png(dir.path() / "missing.png"), InputError);
}

TEST(ImageCompare, CountsPixelsBeyondTheToleranceOutsideMasks) {
  const Image golden = filled(10, 10, 0x404040);
  Image actual = golden;
  actual.pixels[3 * 10 + 4] = 0x404044;  // delta 4
  actual.pixels[5 * 10 + 6] = 0xff4040;  // delta 191
  actual.pixels[9 * 10 + 9] = 0x000000;  // masked
  const std::vector<Mask> masks = {{8, 8, 2, 2}};
  Comparison c = compare_images(golden, actual, 4, masks);
  EXPECT_EQ(c.differing, 1u);
  EXPECT_EQ(c.max_delta, 191);
  EXPECT_EQ(c.first, std::pair(6, 5));
  EXPECT_EQ(c.describe(), "1 pixel(s) differ (max channel delta 191), first at (6, 5)");
  EXPECT_EQ(c.diff.at(6, 5), 0xff0000u);
  EXPECT_EQ(c.diff.at(0, 0), 0x101010u) << "the golden dimmed";
  EXPECT_EQ(c.diff.at(9, 9), 0x101090u) << "masked: tinted blue";
  c = compare_images(golden, actual, 3, masks);
  EXPECT_EQ(c.differing, 2u);
  EXPECT_EQ(c.first, std::pair(4, 3));
  c = compare_images(golden, golden, 0, {});
  EXPECT_EQ(c.differing, 0u);
  EXPECT_EQ(c.describe(), "identical within the tolerance");
}

TEST(ImageCompare, ADifferentSizeIsNoComparison) {
  const Comparison c = compare_images(filled(4, 4, 0), filled(4, 5, 0), 0, {});
  EXPECT_FALSE(c.same_size);
  EXPECT_EQ(c.describe(), "the screenshot's size differs from the golden's");
}

}  // namespace
}  // namespace osh::e2e
