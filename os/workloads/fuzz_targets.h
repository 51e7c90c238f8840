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
};

inline constexpr size_t kFuzzTargetCount = 4;
// The names, in table order (the scenario's `target` parameter), and the table.
extern const StringView kFuzzTargetNames[kFuzzTargetCount];
extern const FuzzTarget kFuzzTargets[kFuzzTargetCount];

}  // namespace rayos::workloads
