// The fuzz hook's figures without QEMU: markers fed as a run's console would give them.
#include "guestfuzz/fuzz_hook.h"

#include <gtest/gtest.h>

#include "harness/base/testing/temp_dir.h"
#include "harness/marker/marker_stream.h"

namespace osh::guestfuzz {
namespace {

constexpr int64_t kMs = 1'000'000;

// The first crash came 3 s after the spawn, 1.2 s of which QEMU spent waiting for a host CPU
// (and 1 s more after the crash): fuzz.first_crash_s keeps the 3 s, its corrected twin the 1.8 s
// the guest had.
TEST(FuzzHook, TheFirstCrashLessTheTimeQemuWaitedForAHostCpu) {
  const test_support::TempDir dir;
  FuzzConfig config;
  config.target = "cmdline";
  config.duration_s = 10;
  config.corpus_dir = dir.path() / "corpus";
  config.minimize_runs = 0;
  config.coverage = false;
  vm::VmConfig vm_config;
  vm_config.kernel = dir.path() / "no-such-kernel.elf";  // no symbols: bucketed by kind
  campaign::StarvationRecord starvation;
  const int64_t spawn_ns = 50'000 * kMs;
  starvation.record(spawn_ns, 0);
  starvation.record(spawn_ns + 1000 * kMs, 700 * kMs);
  starvation.record(spawn_ns + 2900 * kMs, 1200 * kMs);
  starvation.record(spawn_ns + 3500 * kMs, 2200 * kMs);
  campaign::HookSetup setup;
  setup.run_folder = dir.path();
  setup.config = &vm_config;
  setup.starvation = &starvation;
  const auto hook = fuzz_hook_info().make(config, setup);
  hook->started(spawn_ns);
  const auto schema = marker::Schema::parse(R"({"prefix": "RAYOS", "markers": [
    {"marker": "FUZZ:CRASH", "fields": [{"name": "elapsed_ms", "type": "u64"},
      {"name": "execs", "type": "u64"}, {"name": "input", "type": "word"}]},
    {"marker": "SYS:PANIC", "fields": [{"name": "kind", "type": "id"},
      {"name": "detail", "type": "word"}]}]})",
                                            "test schema");
  marker::MarkerStream stream(schema);
  stream.add_observer(hook.get());
  stream.feed("RAYOS_FUZZ:CRASH:1700:40:QUJD\n", spawn_ns + 3000 * kMs);
  stream.feed("RAYOS_SYS:PANIC:page_fault:cmdline\n", spawn_ns + 3001 * kMs);
  stream.finish(spawn_ns + 3600 * kMs);
  campaign::RunResult r;
  hook->finish(r);
  ASSERT_EQ(r.metrics.at("fuzz.buckets"), 1) << r.analysis.dump();
  EXPECT_DOUBLE_EQ(r.metrics.at("fuzz.first_crash_s"), 3.0);
  EXPECT_NEAR(r.metrics.at("fuzz.first_crash_s_less_starvation"), 1.8, 1e-9);
}

}  // namespace
}  // namespace osh::guestfuzz
