#include "os/kernel/fuzz_coverage.h"

namespace rayos::kernel {
namespace {

constinit EdgeMap edges;
constinit bool recording = false;

}  // namespace

EdgeMap& fuzz_edges() { return edges; }

void coverage_on() {
  edges.begin();
  __atomic_store_n(&recording, true, __ATOMIC_RELAXED);
}

void coverage_off() { __atomic_store_n(&recording, false, __ATOMIC_RELAXED); }

}  // namespace rayos::kernel

// GCC's -fsanitize-coverage=trace-pc calls this at the start of every basic block of an
// instrumented file; the return address identifies the block.
extern "C" void __sanitizer_cov_trace_pc() {
  using namespace rayos::kernel;
  if (!__atomic_load_n(&recording, __ATOMIC_RELAXED)) return;
  edges.hit(reinterpret_cast<uintptr_t>(__builtin_return_address(0)));
}
