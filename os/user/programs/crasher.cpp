// crasher kind delay: yields `delay` times, then raises one CPU exception in ring 3:
//   0 divide error, 1 null read (page fault), 2 invalid opcode, 3 privileged instruction (general
//   protection), 4 write to kernel memory (page fault), 5 stack overflow into the guard page.
// Any other kind exits 3 (a crasher that did not crash is a bug in the test).
#include "os/user/runtime/runtime.h"

using namespace rayos::user;

namespace {

// Never reached (the stack is 64 KiB); an exit the compiler cannot see through, so that it
// neither warns about nor rewrites the recursion.
volatile uint64_t depth_limit = UINT64_MAX;

[[gnu::noinline]] uint64_t recurse(uint64_t depth) {
  if (depth == depth_limit) return 0;
  volatile uint64_t frame[64];  // 512 bytes a level, touched so the stack really grows
  frame[depth % 64] = depth;
  return recurse(depth + 1) + frame[(depth + 1) % 64];
}

}  // namespace

extern "C" uint64_t rayos_main(uint64_t kind, uint64_t delay, uint64_t, uint64_t) {
  for (uint64_t i = 0; i < delay; ++i) yield();
  switch (kind) {
    case 0: {
      volatile uint64_t zero = 0;  // the compiler cannot see it is zero
      return 100 / zero;
    }
    case 1: {
      uint64_t* volatile null = nullptr;
      return *null;
    }
    case 2:
      asm volatile("ud2");
      break;
    case 3:
      asm volatile("hlt");  // ring 0 only
      break;
    case 4:
      *reinterpret_cast<volatile uint64_t*>(0xffffffff80100000) = 1;
      break;
    case 5:
      return recurse(0);
  }
  return 3;
}
