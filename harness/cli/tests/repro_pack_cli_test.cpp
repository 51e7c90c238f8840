// `osharness repro --pack` then `repro FILE` with the kernel gone from where it ran (label
// guest): the pack alone reruns the failure.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

using ::testing::HasSubstr;

TEST(ReproPackCli, APackRerunsTheFailureWithoutTheOriginalKernel) {
  TempDir dir;
  const auto kernel = dir.path() / "mine.elf";
  std::filesystem::copy_file(rayos_kernel(), kernel);
  const auto out = dir.path() / "out";
  const auto run = run_osharness({"run", "--kernel", kernel.string(), "--scenario", "fault",
                                  "--seed", "5", "--accel", "tcg", "-q", "--out", out.string()},
                                 dir.path());
  ASSERT_EQ(run.status.code, 2) << run.out << run.err;
  const auto bundle = out / "runs" / "000-fault-s5" / "repro.json";
  const auto pack = dir.path() / "bug.osrepro";
  const auto packed =
      run_osharness({"repro", "--pack", bundle.string(), "-o", pack.string()}, dir.path());
  ASSERT_EQ(packed.status.code, 0) << packed.out << packed.err;

  std::filesystem::remove_all(out);
  std::filesystem::remove(kernel);
  const auto rerun = run_osharness({"repro", pack.string(), "--quiet"}, dir.path());
  EXPECT_EQ(rerun.status.code, 0) << rerun.out << rerun.err;
  EXPECT_THAT(rerun.out, HasSubstr("1 of 1 runs reproduced CRASH"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "bug.osrepro.unpacked" / "kernel"));

  // An unpacked bundle packs again: its images are beside it, under the pack's names.
  const auto again = run_osharness(
      {"repro", "--pack", (dir.path() / "bug.osrepro.unpacked" / "repro.json").string(), "-o",
       (dir.path() / "again.osrepro").string()},
      dir.path());
  EXPECT_EQ(again.status.code, 0) << again.err;
}

}  // namespace
}  // namespace osh::cli::testing
