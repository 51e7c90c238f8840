// The accelerator probe against real QEMU (label vm). Prints the measured figures.
#include "harness/vm/qemu/accel_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "harness/base/errors.h"
#include "harness/base/paths.h"
#include "harness/vm/qemu/tests/test_support.h"

namespace osh::vm::qemu {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::ScopedEnv;
using testing::TempDir;

class AccelProbeTest : public ::testing::Test {
 protected:
  AccelProbeOptions options() const {
    AccelProbeOptions o;
    o.probe_kernel = install_dir() / "osh-accel-probe.elf";
    o.cache_file = dir_.path() / "cache" / "accel.json";
    o.boot_id_file = dir_.path() / "boot_id";
    return o;
  }
  void set_boot_id(const std::string& id) const {
    std::ofstream(dir_.path() / "boot_id") << id << "\n";
  }

  TempDir dir_;
};

void print(const char* label, const AccelProbeResult& r) {
  std::printf("[accel] %s: chosen %s, tcg %s ms, kvm %s ms, note \"%s\", cached %d\n  reason: %s\n",
              label, std::string(to_string(r.chosen)).c_str(),
              r.tcg_ms ? std::to_string(*r.tcg_ms).c_str() : "-",
              r.kvm_ms ? std::to_string(*r.kvm_ms).c_str() : "-", r.kvm_note.c_str(), r.cached,
              r.reason.c_str());
}

TEST(AccelProbeChecksum, MatchesXorshift32) {
  EXPECT_EQ(probe_checksum(0), 1u);
  EXPECT_EQ(probe_checksum(1), 270369u);  // 1 ^ 1<<13 = 8193; ^ >>17 = 8193; ^ <<5 = 270369
}

TEST_F(AccelProbeTest, MeasuresOnceThenServesFromTheCacheUntilTheBootChanges) {
  set_boot_id("boot-a");
  const AccelProbeResult first = choose_accel(options());
  print("measured", first);
  ASSERT_TRUE(first.tcg_ms);
  EXPECT_GT(*first.tcg_ms, 0);
  EXPECT_FALSE(first.cached);
  EXPECT_TRUE(first.kvm_ms || !first.kvm_note.empty()) << "KVM has a figure or a reason";
  if (first.kvm_ms) {
    EXPECT_EQ(first.chosen, *first.kvm_ms < *first.tcg_ms ? Accel::Kvm : Accel::Tcg);
  } else {
    EXPECT_EQ(first.chosen, Accel::Tcg);
  }
  EXPECT_TRUE(fs::exists(options().cache_file));
  RecordProperty("tcg_ms", std::to_string(*first.tcg_ms));
  RecordProperty("kvm", first.kvm_ms ? std::to_string(*first.kvm_ms) : first.kvm_note);

  const AccelProbeResult second = choose_accel(options());
  print("cached", second);
  EXPECT_TRUE(second.cached);
  EXPECT_EQ(second.chosen, first.chosen);
  EXPECT_EQ(second.tcg_ms, first.tcg_ms);
  EXPECT_EQ(second.kvm_ms, first.kvm_ms);
  EXPECT_EQ(second.kvm_note, first.kvm_note);
  EXPECT_THAT(second.reason, HasSubstr("(cached in " + options().cache_file.string()));

  set_boot_id("boot-b");
  AccelProbeOptions no_kvm = options();
  no_kvm.kvm_device = dir_.path() / "no-kvm";
  const AccelProbeResult third = choose_accel(no_kvm);
  print("new boot, no kvm", third);
  EXPECT_FALSE(third.cached) << "another boot measures again";
  EXPECT_EQ(third.chosen, Accel::Tcg);
  EXPECT_EQ(third.kvm_ms, std::nullopt);
  EXPECT_THAT(third.kvm_note, HasSubstr("not tried: cannot open " + no_kvm.kvm_device.string() +
                                        " read-write: No such file or directory"));
  EXPECT_TRUE(choose_accel(no_kvm).cached);
}

TEST_F(AccelProbeTest, CorruptOrForeignCacheIsMeasuredAgainAndRewritten) {
  set_boot_id("boot-c");
  AccelProbeOptions o = options();
  o.kvm_device = dir_.path() / "no-kvm";
  fs::create_directories(o.cache_file.parent_path());
  std::ofstream(o.cache_file) << "{ not json";
  EXPECT_FALSE(choose_accel(o).cached);
  EXPECT_TRUE(choose_accel(o).cached);
  // A cache written for another QEMU binary (path + mtime) does not apply.
  auto json = nlohmann::json::parse(std::ifstream(o.cache_file));
  json["qemu"] = "/opt/other/qemu-system-x86_64";
  std::ofstream(o.cache_file) << json.dump();
  EXPECT_FALSE(choose_accel(o).cached);
}

TEST_F(AccelProbeTest, OshAccelOverridesWithoutMeasuring) {
  AccelProbeOptions o = options();
  o.probe_kernel = dir_.path() / "no-probe.elf";  // would fail if it ran
  o.override_accel = "kvm";
  const AccelProbeResult r = choose_accel(o);
  EXPECT_EQ(r.chosen, Accel::Kvm);
  EXPECT_FALSE(r.tcg_ms);
  EXPECT_EQ(r.reason, "kvm: set by OSH_ACCEL (not measured)");
  o.override_accel = "fast";
  try {
    choose_accel(o);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(
        e.what(),
        "OSH_ACCEL=\"fast\" is not an accelerator; use tcg or kvm, or unset it to measure");
  }
}

TEST_F(AccelProbeTest, DefaultsComeFromTheEnvironment) {
  {
    ScopedEnv accel("OSH_ACCEL", "tcg");
    ScopedEnv xdg("XDG_CACHE_HOME", "/var/cache/me");
    const AccelProbeOptions o = default_accel_probe_options();
    EXPECT_EQ(o.override_accel, "tcg");
    EXPECT_EQ(o.cache_file, fs::path("/var/cache/me/osharness/accel.json"));
    EXPECT_EQ(o.probe_kernel, install_dir() / "osh-accel-probe.elf");
  }
  ScopedEnv accel("OSH_ACCEL", nullptr);
  ScopedEnv xdg("XDG_CACHE_HOME", nullptr);
  ScopedEnv home("HOME", "/home/someone");
  const AccelProbeOptions o = default_accel_probe_options();
  EXPECT_EQ(o.override_accel, "");
  EXPECT_EQ(o.cache_file, fs::path("/home/someone/.cache/osharness/accel.json"));
}

TEST_F(AccelProbeTest, MissingProbeKernelIsAnInfraError) {
  AccelProbeOptions o = options();
  set_boot_id("boot-d");
  o.probe_kernel = dir_.path() / "no-probe.elf";
  try {
    choose_accel(o);
    FAIL() << "no error";
  } catch (const InfraError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the accelerator probe cannot run under TCG: failed: cannot "
                                    "read the kernel image " +
                                    o.probe_kernel.string()));
  }
}

}  // namespace
}  // namespace osh::vm::qemu
