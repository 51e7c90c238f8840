#include "os/kernel/fuzz_coverage.h"

#include "os/kernel/memory.h"

extern "C" char _kernel_start[], _text_end[];  // linker.ld

namespace rayos::kernel {
namespace {

constinit EdgeMap edges;
constinit SiteCounts sites;
constinit bool recording = false;

}  // namespace

bool line_coverage_on() {
  if (sites.attached()) return true;
  const auto start = reinterpret_cast<uint64_t>(_kernel_start);
  const size_t granules =
      (reinterpret_cast<uint64_t>(_text_end) - start + 3) >> SiteCounts::kGranuleShift;
  void* counts = kmalloc(granules * sizeof(uint32_t), kKernelTag);
  if (counts == nullptr) return false;
  sites.attach(static_cast<uint32_t*>(counts), start, granules);
  return true;
}

const SiteCounts& line_coverage() { return sites; }

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
