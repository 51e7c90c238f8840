#include "os/kernel/fuzz_coverage.h"

#include "os/arch/x86_64/memory.h"
#include "os/kernel/console.h"
#include "os/kernel/memory.h"

extern "C" char _kernel_start[], _text_end[];  // linker.ld

namespace rayos::kernel {
namespace {

constinit EdgeMap edges;
constinit SiteCounts sites;
constinit bool recording = false;
constinit bool whole_scenario = false;  // scenario_coverage_on() was called, nothing printed yet

}  // namespace

bool line_coverage_on() {
  if (sites.attached()) return true;
  const auto start = reinterpret_cast<uint64_t>(_kernel_start);
  const size_t granules =
      (reinterpret_cast<uint64_t>(_text_end) - start + 3) >> SiteCounts::kGranuleShift;
  // Frames, not the heap: a heap block would show in every leak report (MEM:LEAK) of the
  // scenarios osh.coverage=1 counts.
  const size_t pages =
      (granules * sizeof(uint32_t) + FrameAllocator::kFrameSize - 1) / FrameAllocator::kFrameSize;
  uint64_t phys = 0;
  if (!frames().allocate_contiguous(pages, phys)) return false;
  sites.attach(arch::phys_to_virt<uint32_t>(phys), start, granules);
  return true;
}

const SiteCounts& line_coverage() { return sites; }

bool scenario_coverage_on() {
  memory_init();  // the frame allocator, which the counters come from
  if (!line_coverage_on()) return false;
  whole_scenario = true;
  coverage_on();
  return true;
}

void print_scenario_coverage() {
  if (!whole_scenario) return;
  whole_scenario = false;  // a panic while printing does not print again
  coverage_off();          // printing would count the marker writer
  sites.for_each_hit(
      [](uint64_t offset, uint64_t count) { emit<markers::kCoverageBlock>(offset, count); });
}

EdgeMap& fuzz_edges() { return edges; }

void coverage_on() {
  edges.begin();
  __atomic_store_n(&recording, true, __ATOMIC_RELAXED);
}

void coverage_off() { __atomic_store_n(&recording, false, __ATOMIC_RELAXED); }

CoveragePause::CoveragePause() : was_recording_(__atomic_load_n(&recording, __ATOMIC_RELAXED)) {
  coverage_off();
}

CoveragePause::~CoveragePause() { __atomic_store_n(&recording, was_recording_, __ATOMIC_RELAXED); }

}  // namespace rayos::kernel

// GCC's -fsanitize-coverage=trace-pc calls this at the start of every basic block of an
// instrumented file; the return address identifies the block.
extern "C" void __sanitizer_cov_trace_pc() {
  using namespace rayos::kernel;
  if (!__atomic_load_n(&recording, __ATOMIC_RELAXED)) return;
  const auto pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  edges.hit(pc);
  sites.hit(pc);
}
