#include "os/core/frame_walk.h"

namespace rayos {

size_t walk_frame_pointers(uintptr_t rbp, StackBounds stack, uintptr_t* out, size_t max) {
  size_t count = 0;
  while (count < max) {
    if (rbp % sizeof(uintptr_t) != 0 || rbp < stack.low || stack.high < 2 * sizeof(uintptr_t) ||
        rbp > stack.high - 2 * sizeof(uintptr_t))
      break;
    const uintptr_t* frame = reinterpret_cast<const uintptr_t*>(rbp);
    uintptr_t return_address = frame[1];
    if (return_address == 0) break;
    out[count++] = return_address;
    uintptr_t next = frame[0];
    if (next <= rbp) break;
    rbp = next;
  }
  return count;
}

}  // namespace rayos
