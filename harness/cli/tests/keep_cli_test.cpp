// `osharness run --keep failed|none` end to end (label guest): a passing and a crashing rayos
// run, each with a disk image.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

class KeepCli : public ::testing::Test {
 protected:
  KeepCli() {
    spec("hello", "hello", 0);
    spec("fault", "fault", 100);
  }
  void spec(const std::string& name, const std::string& scenario, int crash_pct) {
    nlohmann::json j = {
        {"name", name},
        {"guest", {{"kernel", rayos_kernel().string()}, {"disk", {{"size_mib", 1}}}}},
        {"scenario", scenario},
        {"seed", 3}};
    if (crash_pct) j["params"] = {{"crash_pct", crash_pct}};
    std::ofstream(dir_.path() / (name + ".json")) << j.dump();
  }
  // Runs both specs with `--keep keep`; returns the files left under runs/.
  std::set<std::string> run_keeping(const std::string& keep) {
    out_ = dir_.path() / keep;
    const auto f = run_osharness(
        {"run", (dir_.path() / "hello.json").string(), (dir_.path() / "fault.json").string(),
         "--accel", "tcg", "-q", "--keep", keep, "--out", out_.string()},
        dir_.path());
    EXPECT_EQ(f.status.code, 2) << f.out << f.err;  // the fault run's CRASH
    std::set<std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(out_ / "runs"))
      if (e.is_regular_file())
        files.insert(std::filesystem::relative(e.path(), out_ / "runs").string());
    return files;
  }
  nlohmann::json run_of(const std::string& name) const {
    const auto report = read_json(out_ / "report.json");
    for (const auto& r : report["runs"])
      if (r["name"] == name) return r;
    return {};
  }
  TempDir dir_;
  std::filesystem::path out_;
};

bool any_under(const std::set<std::string>& files, const std::string& prefix,
               const std::string& suffix) {
  for (const auto& f : files)
    if (f.starts_with(prefix) && f.ends_with(suffix)) return true;
  return false;
}

TEST_F(KeepCli, FailedKeepsOnlyTheFailedRunsFolder) {
  const auto files = run_keeping("failed");
  EXPECT_FALSE(any_under(files, "000-hello", "")) << ::testing::PrintToString(files);
  EXPECT_TRUE(any_under(files, "001-fault-s3/", "/disk.img")) << ::testing::PrintToString(files);
  EXPECT_TRUE(files.contains("001-fault-s3/console.log"));
  EXPECT_TRUE(files.contains("001-fault-s3/repro.json"));
  EXPECT_EQ(run_of("hello")["console_log"], "");
  EXPECT_EQ(run_of("fault")["console_log"], "runs/001-fault-s3/console.log");
}

TEST_F(KeepCli, NoneKeepsTheReproBundleOnly) {
  const auto files = run_keeping("none");
  EXPECT_EQ(files, (std::set<std::string>{"001-fault-s3/repro.json"}));
  EXPECT_EQ(run_of("fault")["console_log"], "");
  EXPECT_EQ(run_of("fault")["verdict"], "CRASH");
}

TEST_F(KeepCli, AllIsTheDefaultAndKeepsEveryDiskImage) {
  const auto files = run_keeping("all");
  EXPECT_TRUE(any_under(files, "000-hello-s3/", "/disk.img")) << ::testing::PrintToString(files);
  EXPECT_TRUE(any_under(files, "001-fault-s3/", "/disk.img"));
}

}  // namespace
}  // namespace osh::cli::testing
