#pragma once
// A frame-pointer stack walk that cannot fault: every frame pointer is checked to lie inside the
// stack before it is read, and frames must move strictly towards the stack's top, so a corrupt
// chain ends the walk instead of looping or dereferencing a wild pointer.
#include <stddef.h>
#include <stdint.h>

namespace rayos {

struct StackBounds {
  uintptr_t low;   // lowest valid address
  uintptr_t high;  // one past the highest
};

// Follows the [rbp] -> saved rbp, [rbp + 8] -> return address chain from `rbp`, writing at most
// `max` return addresses to `out`. Stops at a null return address, a frame pointer outside
// `stack`, a misaligned one, or one that does not increase. Returns the count written.
size_t walk_frame_pointers(uintptr_t rbp, StackBounds stack, uintptr_t* out, size_t max);

}  // namespace rayos
