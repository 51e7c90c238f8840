#pragma once
// The in-guest fuzzer's corpus and the image the host passes it as the initrd (docs/fuzz.md):
//   "OSHFUZZ1", u32 entry count (little-endian), then per entry a u16 length and its bytes.
// The same image carries a campaign's saved corpus into a new VM and, in replay mode, the one
// input a repro bundle reruns.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"

namespace rayos {

// Longest input: its base64 (112 characters) and the other fields fit one marker line.
inline constexpr size_t kMaxFuzzInput = 84;
inline constexpr char kCorpusImageMagic[8] = {'O', 'S', 'H', 'F', 'U', 'Z', 'Z', '1'};

struct FuzzInput {
  uint8_t size = 0;
  uint8_t bytes[kMaxFuzzInput]{};
};

// Entries live in storage the owner provides (the kernel's heap: the image must stay below 4 MiB).
class Corpus {
 public:
  constexpr Corpus() = default;
  // Starts empty on `capacity` entries at `storage`.
  void attach(FuzzInput* storage, size_t capacity) {
    entries_ = storage;
    capacity_ = capacity;
    count_ = 0;
  }

  // False when full (the input is not kept) or the input is too long.
  bool add(const uint8_t* data, size_t size);
  size_t size() const { return count_; }
  const FuzzInput& operator[](size_t i) const { return entries_[i]; }

 private:
  FuzzInput* entries_ = nullptr;
  size_t capacity_ = 0;
  size_t count_ = 0;
};

// Adds every entry of a corpus image to `corpus`; false with a reason (one word) in `error` when
// the image is malformed. Entries longer than kMaxFuzzInput are cut; `skipped` counts those the
// full corpus could not take.
bool read_corpus_image(StringView image, Corpus& corpus, size_t& skipped, StringView& error);

}  // namespace rayos
