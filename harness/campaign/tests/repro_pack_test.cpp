// Portable repro packs: a bundle with its guest images in one file, unpacked elsewhere.
#include "harness/campaign/repro_pack.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "harness/base/sha256.h"
#include "harness/base/testing/temp_dir.h"
#include "harness/campaign/repro_bundle.h"

namespace osh::campaign {
namespace {

using ::testing::HasSubstr;

class ReproPackTest : public ::testing::Test {
 protected:
  ReproPackTest() {
    std::filesystem::create_directories(dir() / "run");
    write(dir() / "kernel.elf", "the failing kernel");
    write(dir() / "initrd.img", "the initrd");
    write(dir() / "run" / "console.log", "RAYOS_BOOT:START\n");
    ReproBundle b;
    b.harness_version = "test";
    b.seed = 42;
    b.spec = {{"name", "t"},
              {"scenario", "hello"},
              {"guest",
               {{"kernel", (dir() / "kernel.elf").string()},
                {"initrd", (dir() / "initrd.img").string()},
                {"schema", "rayos"}}}};
    b.kernel_path = (dir() / "kernel.elf").string();
    b.kernel_sha256 = sha256_file(dir() / "kernel.elf");
    b.initrd_path = (dir() / "initrd.img").string();
    b.initrd_sha256 = sha256_file(dir() / "initrd.img");
    b.console_log = "console.log";
    b.verdict = Verdict::Crash;
    b.signature = "CRASH PAGE_FAULT f";
    write_bundle(b, bundle());
  }
  static void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  static std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  const std::filesystem::path& dir() const { return tmp_.path(); }
  std::filesystem::path bundle() const { return dir() / "run" / "repro.json"; }
  std::filesystem::path pack() const { return dir() / "bug.osrepro"; }

  test_support::TempDir tmp_;
};

TEST_F(ReproPackTest, UnpacksTheImagesUnderItsOwnNamesWithRelativePaths) {
  pack_bundle(bundle(), pack());
  EXPECT_TRUE(is_pack(pack()));
  EXPECT_FALSE(is_pack(bundle()));
  // The images are gone from this host: the pack carries them.
  std::filesystem::remove(dir() / "kernel.elf");
  std::filesystem::remove(dir() / "initrd.img");
  const auto there = dir() / "elsewhere";
  const auto unpacked = unpack_bundle(pack(), there);
  EXPECT_EQ(unpacked, there / "repro.json");
  EXPECT_EQ(read(there / "kernel"), "the failing kernel");
  EXPECT_EQ(read(there / "initrd"), "the initrd");
  EXPECT_EQ(read(there / "console.log"), "RAYOS_BOOT:START\n");
  const auto b = read_bundle(unpacked);
  EXPECT_EQ(b.spec["guest"]["kernel"], "kernel");
  EXPECT_EQ(b.spec["guest"]["initrd"], "initrd");
  EXPECT_EQ(b.spec["guest"]["schema"], "rayos");
  EXPECT_EQ(b.kernel_path, "kernel");
  EXPECT_EQ(b.seed, 42u);
  EXPECT_EQ(b.signature, "CRASH PAGE_FAULT f");
  EXPECT_EQ(std::filesystem::status(there).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_all);
}

TEST_F(ReproPackTest, RefusesToPackAnImageThatChangedOrWentSinceTheFailure) {
  write(dir() / "kernel.elf", "a rebuilt kernel");
  try {
    pack_bundle(bundle(), pack());
    FAIL() << "packed a changed kernel";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("spec.guest.kernel"));
    EXPECT_THAT(e.what(), HasSubstr("changed since the failure"));
  }
  std::filesystem::remove(dir() / "initrd.img");
  EXPECT_THROW(pack_bundle(bundle(), pack()), InputError);
  EXPECT_FALSE(std::filesystem::exists(pack()));
}

TEST_F(ReproPackTest, AnImageThatIsNotTheRecordedOneIsRefusedAtUnpack) {
  pack_bundle(bundle(), pack());
  auto j = nlohmann::json::from_cbor(read(pack()));
  const std::string other = "another kernel";
  j["files"]["kernel"] = nlohmann::json::binary(std::vector<uint8_t>(other.begin(), other.end()));
  const auto bytes = nlohmann::json::to_cbor(j);
  write(pack(), std::string(bytes.begin(), bytes.end()));
  try {
    unpack_bundle(pack(), dir() / "x");
    FAIL() << "unpacked a kernel that is not the failure's";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("files.kernel is not the image of the failure"));
  }
}

TEST_F(ReproPackTest, AFileThePackLacksIsNotTakenFromThisHost) {
  pack_bundle(bundle(), pack());
  auto j = nlohmann::json::from_cbor(read(pack()));
  j["files"].erase("initrd");  // its spec still names this host's initrd.img
  const auto bytes = nlohmann::json::to_cbor(j);
  write(pack(), std::string(bytes.begin(), bytes.end()));
  const auto b = read_bundle(unpack_bundle(pack(), dir() / "x"));
  EXPECT_FALSE(b.spec["guest"].contains("initrd")) << b.spec.dump();
}

TEST_F(ReproPackTest, WhatIsNotAPackIsNamedAsSuch) {
  write(pack(), std::string("\xa1\x61"
                            "a\x01",
                            4));  // CBOR {"a": 1}
  try {
    unpack_bundle(pack(), dir() / "x");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("bug.osrepro: not a repro pack"));
  }
  write(pack(), "\xbf garbage");
  EXPECT_THROW(unpack_bundle(pack(), dir() / "x"), InputError);
}

}  // namespace
}  // namespace osh::campaign
