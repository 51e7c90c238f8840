#include "os/core/virtio_cmdline.h"

#include <gtest/gtest.h>

#include "os/core/cmdline.h"

namespace rayos {
namespace {

TEST(VirtioCmdline, ParsesWhatQemuMicrovmAppends) {
  VirtioMmioSlot slot{};
  ASSERT_TRUE(parse_virtio_mmio_device("512@0xfeb00e00:12", slot));
  EXPECT_EQ(slot.size, 512u);
  EXPECT_EQ(slot.base, 0xfeb00e00u);
  EXPECT_EQ(slot.irq, 12u);
  ASSERT_TRUE(parse_virtio_mmio_device("4K@0xFEB00000:5:3", slot));  // Linux's optional id
  EXPECT_EQ(slot.size, 4096u);
  EXPECT_EQ(slot.base, 0xfeb00000u);
  EXPECT_EQ(slot.irq, 5u);
  ASSERT_TRUE(parse_virtio_mmio_device("1M@4096:7", slot));
  EXPECT_EQ(slot.size, 1u << 20);
  EXPECT_EQ(slot.base, 4096u);
}

TEST(VirtioCmdline, RejectsMalformedValues) {
  VirtioMmioSlot slot{};
  for (const char* bad :
       {"", "512", "512@0xfeb00e00", "@0x1000:5", "0@0x1000:5", "512@0x:5", "512@0xfeb0zz00:5",
        "512@0x1000:", "512@0x1000:x", "512@0x1ffffffffffffffff:5", "x@0x1000:5"})
    EXPECT_FALSE(parse_virtio_mmio_device(bad, slot)) << bad;
}

TEST(VirtioCmdline, FindsEveryDeviceOnTheCommandLine) {
  VirtioMmioSlot slots[2];
  size_t malformed = 0;
  const StringView line =
      "osh.scenario=stress virtio_mmio.device=512@0xfeb00e00:12 levels=0,50 "
      "virtio_mmio.device=bad virtio_mmio.device=512@0xfeb01000:13 "
      "virtio_mmio.device=512@0xfeb01200:14";
  EXPECT_EQ(find_virtio_mmio_devices(line, slots, 2, malformed), 2u);
  EXPECT_EQ(malformed, 1u);
  EXPECT_EQ(slots[0].base, 0xfeb00e00u);
  EXPECT_EQ(slots[1].base, 0xfeb01000u);
  EXPECT_EQ(find_virtio_mmio_devices("osh.scenario=hello", slots, 2, malformed), 0u);
}

TEST(VirtioCmdline, TheScenarioParserSkipsTheMachinesWords) {
  RunRequest r;
  TextBuffer err;
  ASSERT_TRUE(
      parse_cmdline("osh.scenario=stress type=disk virtio_mmio.device=512@0xfeb00e00:12 "
                    "virtio_mmio.device=512@0xfeb01000:13",
                    r, err));
  ASSERT_EQ(r.param_count, 1u);
  EXPECT_EQ(std::string(r.params[0].key.data(), r.params[0].key.size()), "type");
  // On a shell line it is an ordinary (and unknown) parameter.
  EXPECT_EQ(parse_shell_line("run stress virtio_mmio.device=512@0x1:1", 0, r, err),
            ShellLine::kRun);
  EXPECT_EQ(r.param_count, 1u);
}

}  // namespace
}  // namespace rayos
