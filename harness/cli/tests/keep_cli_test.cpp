// `osharness run --keep failed|none` end to end (label guest): a passing and a crashing rayos
// run, each with a disk image.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness/base/gzip.h"
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
  // Runs both specs with `--keep keep` (and `more`); returns the files left under runs/.
  std::set<std::string> run_keeping(const std::string& keep, const std::string& more = "-q") {
    out_ = dir_.path() / (keep + more);
    const auto f = run_osharness(
        {"run", (dir_.path() / "hello.json").string(), (dir_.path() / "fault.json").string(),
         "--accel", "tcg", "-q", "--keep", keep, more, "--out", out_.string()},
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

// --compress-logs: console.log.gz in place of console.log, and every reader of console logs
// reads it: the reports' console tail, the repro bundle and `osharness repro`, parse (with
// --times), diff.
TEST_F(KeepCli, CompressedLogsAreReadWhereverLogsAre) {
  const auto files = run_keeping("all", "--compress-logs");
  for (const char* run : {"000-hello-s3/", "001-fault-s3/"}) {
    EXPECT_TRUE(files.contains(std::string(run) + "console.log.gz")) << run;
    EXPECT_FALSE(files.contains(std::string(run) + "console.log")) << run;
  }
  EXPECT_EQ(run_of("fault")["console_log"], "runs/001-fault-s3/console.log.gz");
  const auto bundle = out_ / "runs/001-fault-s3/repro.json";
  EXPECT_EQ(read_json(bundle)["console_log"], "console.log.gz");
  // The console tail in junit.xml is the log's last lines, the panic marker among them.
  std::ifstream junit(out_ / "junit.xml");
  const std::string xml((std::istreambuf_iterator<char>(junit)), {});
  EXPECT_THAT(xml, ::testing::HasSubstr("RAYOS_SYS:PANIC:PAGE_FAULT"));

  const auto gz = out_ / "runs/000-hello-s3/console.log.gz";
  const auto plain = dir_.path() / "hello-console.log";
  std::ofstream(plain, std::ios::binary) << read_maybe_gzip(gz);
  const auto parse_gz = run_osharness({"parse", "--json", gz.string()}, dir_.path());
  const auto parse_plain = run_osharness({"parse", "--json", plain.string()}, dir_.path());
  EXPECT_EQ(parse_gz.status.code, 0) << parse_gz.err;
  auto a = nlohmann::json::parse(parse_gz.out), b = nlohmann::json::parse(parse_plain.out);
  EXPECT_GT(a["counts"]["markers"].get<int>(), 0) << a;
  a.erase("log"), b.erase("log");
  EXPECT_EQ(a, b);
  const auto times = run_osharness({"parse", "--times", gz.string()}, dir_.path());
  EXPECT_EQ(times.status.code, 0) << times.err;
  EXPECT_THAT(times.out, ::testing::HasSubstr("RAYOS_BOOT:START"));
  const auto diff =
      run_osharness({"diff", "--prefix", "RAYOS", (out_ / "runs/000-hello-s3").string(),
                     (out_ / "runs/001-fault-s3").string()},
                    dir_.path());
  EXPECT_THAT(diff.out, ::testing::HasSubstr("console.log.gz: seq")) << diff.err;

  const auto repro = run_osharness({"repro", bundle.string()}, dir_.path());
  EXPECT_EQ(repro.status.code, 0) << repro.out << repro.err;
  EXPECT_THAT(repro.out + repro.err, ::testing::HasSubstr("REPRODUCED CRASH"));
}

}  // namespace
}  // namespace osh::cli::testing
