// rayos's last console bytes reach a host that reads slowly. QEMU's UART hands each byte to its
// socket with its own write; when the host has not read for a while the socket is full and the
// UART keeps the bytes until it has room. A guest that ends QEMU through isa-debug-exit before
// then loses them: at 64 VMs on two cores, one run in 64 lost the newline of its SYS:EXIT line.
// Here the host reads every 20 ms, so the guest's output waits in the UART most of the time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "harness/base/clock.h"
#include "harness/vm/qemu/qemu_vm.h"
#include "harness/vm/qemu/tests/test_support.h"

namespace osh::vm::qemu {
namespace {

using namespace std::chrono_literals;

TEST(RayosConsole, TheLastLineArrivesWhenTheHostReadsSlowly) {
  testing::TempDir out;
  VmConfig config;
  config.name = "flush";
  config.kernel = OSH_RAYOS_ELF;
  config.append = "osh.scenario=flood osh.seed=1 count=100";
  config.output_dir = out.path();
  QemuOptions options;
  options.accel = "tcg";
  QemuVm vm(config, options);
  vm.start();
  testing::Recorder recorder;
  const int64_t deadline = monotonic_ns() + 120'000'000'000;
  while (!vm.exit() && monotonic_ns() < deadline) {
    vm.pump(0ms, recorder, -1);
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(vm.exit());
  EXPECT_EQ(vm.exit()->guest_exit_code, 0);
  const std::string& console = recorder.console;
  ASSERT_FALSE(console.empty());
  EXPECT_EQ(console.back(), '\n') << console.substr(console.size() -
                                                    std::min<size_t>(200, console.size()));
  const auto last_line = console.rfind("RAYOS_");
  ASSERT_NE(last_line, std::string::npos);
  EXPECT_THAT(console.substr(last_line), ::testing::StartsWith("RAYOS_SYS:EXIT:0 #"));
  EXPECT_NE(console.find("RAYOS_FLOOD:DONE:100 #"), std::string::npos);
}

}  // namespace
}  // namespace osh::vm::qemu
