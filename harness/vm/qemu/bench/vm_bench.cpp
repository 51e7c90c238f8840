// Timings of the QEMU backend with the VM test kernel (real QEMU, TCG):
//   first_byte_ms  spawn -> the first console byte read by the harness
//   lifetime_ms    spawn -> the exit noticed (console drained, QEMU reaped): the benchmark time
//   MB/s           console throughput of a 20000-line flood (180 KB)
// and what starting any process costs the harness (Subprocess, /bin/true), while it holds a
// heap of 0 or 64 MiB it has written: spawn -> exec'ed -> reaped.
// Run: build/bin/vm_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstring>
#include <memory>

#include "harness/base/paths.h"
#include "harness/base/subprocess.h"
#include "harness/vm/qemu/qemu_vm.h"

namespace osh::vm::qemu {
namespace {

using namespace std::chrono_literals;

struct Stamps : VmListener {
  void on_console(int, std::string_view bytes, int64_t host_ns) override {
    if (bytes_read == 0) first_byte_ns = host_ns;
    bytes_read += bytes.size();
  }
  void on_vm_event(const VmEvent&) override {}
  int64_t first_byte_ns = 0;
  size_t bytes_read = 0;
};

void run_kernel(benchmark::State& state, const char* machine, const char* append,
                std::vector<std::string> extra_args = {}) {
  VmConfig config;
  config.name = "bench";
  config.kernel = install_dir() / "osh-vm-test-kernel.elf";
  config.append = append;
  QemuOptions options;
  options.machine = machine;
  options.accel = "tcg";
  options.args = std::move(extra_args);
  double first_byte_ms = 0;
  double bytes = 0;
  for (auto _ : state) {
    QemuVm vm(config, options);
    vm.start();
    Stamps stamps;
    while (!vm.exit()) vm.pump(1000ms, stamps, -1);
    if (vm.exit()->guest_exit_code != 0) state.SkipWithError("the test kernel did not exit 0");
    first_byte_ms += double(stamps.first_byte_ns - vm.spawn_ns()) / 1e6;
    bytes += double(stamps.bytes_read);
    state.SetIterationTime(double(vm.exit()->host_ns - vm.spawn_ns()) / 1e9);
  }
  state.counters["first_byte_ms"] =
      benchmark::Counter(first_byte_ms, benchmark::Counter::kAvgIterations);
  state.counters["console_bytes"] = benchmark::Counter(bytes, benchmark::Counter::kAvgIterations);
  if (bytes > 10'000) state.SetBytesProcessed(int64_t(bytes));
}

void BM_TinyKernelMicrovm(benchmark::State& state) { run_kernel(state, "microvm", "exit=0"); }
void BM_TinyKernelMicrovmOptionRoms(benchmark::State& state) {
  run_kernel(state, "microvm", "exit=0", {"-M", "x-option-roms=on"});
}
void BM_TinyKernelPc(benchmark::State& state) { run_kernel(state, "pc", "exit=0"); }
void BM_TinyKernelQ35(benchmark::State& state) { run_kernel(state, "q35", "exit=0"); }
void BM_Flood180KB(benchmark::State& state) { run_kernel(state, "microvm", "flood=20000"); }

void BM_SpawnTrue(benchmark::State& state) {
  const size_t heap_bytes = size_t(state.range(0)) << 20;
  const auto heap = std::make_unique<char[]>(heap_bytes);
  for (auto _ : state) {
    state.PauseTiming();
    std::memset(heap.get(), int(state.iterations()), heap_bytes);  // as a busy harness would
    state.ResumeTiming();
    Subprocess child = Subprocess::spawn({"/bin/true"});
    if (child.wait().code != 0) state.SkipWithError("/bin/true did not exit 0");
  }
}

BENCHMARK(BM_TinyKernelMicrovm)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_TinyKernelMicrovmOptionRoms)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20);
BENCHMARK(BM_TinyKernelPc)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_TinyKernelQ35)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_Flood180KB)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_SpawnTrue)->Arg(0)->Arg(64)->Unit(benchmark::kMillisecond)->Iterations(100);

}  // namespace
}  // namespace osh::vm::qemu

BENCHMARK_MAIN();
