#pragma once
// What the fuzz scenario (fuzz.cpp) can fuzz. A target is a function of one input that must not
// crash, the words its parser cares about (the mutator's dictionary) and a few valid inputs to
// start from when the campaign's corpus is empty. Adding one is a table entry here and its code
// in RAYOS_FUZZED_SOURCES (os/CMakeLists.txt), so that it is compiled with coverage.
#include <stddef.h>
#include <stdint.h>

#include "os/core/fuzz/mutator.h"
#include "os/core/string_view.h"

namespace rayos::workloads {

struct FuzzTarget {
  StringView name;
  Dictionary dictionary;
  const StringView* seeds;
  size_t seed_count;
  // `data` ends at the end of a mapped page: a read past the input faults.
  void (*run)(const uint8_t* data, size_t size);
  // Once before the first input, with interrupts on (null: nothing to set up); false: the
  // target cannot run (out of memory).
  bool (*prepare)() = nullptr;
  // Pages the fuzz scenario maps for the target below an unmapped page (fuzz_scratch_end()), for
  // what it builds from an input too large to be one (a whole ELF image): a read past what it
  // builds there faults, as one past the input does.
  uint64_t scratch_pages = 0;
};

inline constexpr size_t kFuzzTargetCount = 6;
// The names, in table order (the scenario's `target` parameter), and the table.
extern const StringView kFuzzTargetNames[kFuzzTargetCount];
extern const FuzzTarget* const kFuzzTargets[kFuzzTargetCount];

// Targets with a file of their own (fuzz_compositor.cpp, fuzz_elf.cpp).
extern const FuzzTarget kCompositorFuzzTarget;
extern const FuzzTarget kElfFuzzTarget;

// Reads an input byte by byte; past its end every byte reads as 0, so an input cut short (as
// the mutator and the minimizer cut them) still decodes.
class InputReader {
 public:
  InputReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// The end of the target's scratch_pages (the first byte of the unmapped page after them); valid
// while an input runs.
uint8_t* fuzz_scratch_end();

// What a target could fail to give back: frames (besides those the kernel heap keeps once it has
// grown: that is not a leak), committed pages and heap blocks.
struct HeldMemory {
  uint64_t frames_outside_the_heap;
  uint64_t committed_pages;
  uint64_t heap_blocks;
};
HeldMemory held_memory();

// Panics with FUZZ_LEAK (detail: frames, committed_pages or heap_blocks) when anything is held
// now that was not at `before`: a target that resets its state after each input holds nothing,
// and one that leaks would fill the memory of a VM running it thousands of times a second.
void panic_on_leak(const HeldMemory& before);

}  // namespace rayos::workloads
