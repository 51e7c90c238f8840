#include "harness/vm/qemu/blkdebug.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace osh::vm::qemu {
namespace {

using ::testing::HasSubstr;
using Op = DiskErrors::Op;

TEST(Blkdebug, TwoStatesPerWindowAndHarmlessHealthyRules) {
  const std::string config = blkdebug_config({Op::Write, Op::Read}, 1 << 20);
  // 1 healthy -> 2 write EIO -> 3 healthy -> 4 read EIO -> 5 healthy.
  for (int from = 1; from <= 4; ++from)
    EXPECT_THAT(config, HasSubstr("[set-state]\nstate = \"" + std::to_string(from) +
                                  "\"\nevent = \"pwritev_zero\"\nnew_state = \"" +
                                  std::to_string(from + 1) + "\""));
  EXPECT_THAT(config, ::testing::Not(HasSubstr("new_state = \"6\"")));
  EXPECT_THAT(
      config,
      HasSubstr("state = \"2\"\nevent = \"write_aio\"\niotype = \"write\"\nerrno = \"5\"\n\n"));
  EXPECT_THAT(
      config,
      HasSubstr("state = \"4\"\nevent = \"read_aio\"\niotype = \"read\"\nerrno = \"5\"\n\n"));
  for (const char* healthy : {"1", "3", "5"})
    EXPECT_THAT(
        config,
        HasSubstr(
            std::string("state = \"") + healthy +
            "\"\nevent = \"read_aio\"\niotype = \"read\"\nerrno = \"5\"\nsector = \"2047\"\n"));
}

TEST(Blkdebug, TheStepWritesZeroesToTheLastSector) {
  EXPECT_EQ(blkdebug_step_command("disk0", 1 << 20), "qemu-io disk0 \"write -z 1048064 512\"");
}

}  // namespace
}  // namespace osh::vm::qemu
