// overflow: unbounded recursion runs into the kernel stack's unmapped guard page. The page fault
// cannot be delivered on the exhausted stack, so the CPU raises a double fault, which has its own
// stack (IST1) and reports DOUBLE_FAULT with the recursion in its backtrace.
#include <stdint.h>

#include "os/workloads/workloads.h"

namespace {
// Never reached (the stack is 64 KiB); an exit the compiler cannot see through, so that it
// neither warns about nor rewrites the recursion.
volatile uint64_t depth_limit = UINT64_MAX;
}  // namespace

extern "C" [[gnu::noinline]] uint64_t rayos_overflow_recurse(uint64_t depth) {
  if (depth == depth_limit) return 0;
  volatile uint64_t frame[32];  // 256 bytes per level, touched so the stack really grows
  frame[depth % 32] = depth;
  return rayos_overflow_recurse(depth + 1) + frame[(depth + 1) % 32];
}

namespace rayos::workloads {
namespace {

uint32_t run(const kernel::ScenarioContext&) {
  return static_cast<uint32_t>(rayos_overflow_recurse(0)) | 1;
}

}  // namespace

const kernel::Scenario kOverflow = kernel::make_scenario("overflow", run);

}  // namespace rayos::workloads
