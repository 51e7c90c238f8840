#include "os/core/compositor_stats.h"

#include "os/core/prng.h"

namespace rayos::compositor {

void LatencyWindow::add(uint64_t ns) {
  if (ns > max_) max_ = ns;
  if (count_ < kSamples) {
    samples_[count_++] = ns;
    return;
  }
  // Algorithm R: the n-th value replaces a random kept one with probability kSamples / n.
  uint64_t slot = splitmix64(state_) % ++count_;
  if (slot < kSamples) samples_[slot] = ns;
}

LatencySummary LatencyWindow::take() {
  size_t kept = count_ < kSamples ? count_ : kSamples;
  LatencySummary summary{count_, percentile_in_place(samples_, kept, 99), max_};
  count_ = 0;
  max_ = 0;
  return summary;
}

uint64_t percentile_in_place(uint64_t* values, size_t n, uint32_t pct) {
  if (n == 0) return 0;
  if (pct == 0) pct = 1;
  if (pct > 100) pct = 100;
  // Nearest rank: the ceil(pct * n / 100)-th smallest value.
  size_t rank = (size_t(pct) * n + 99) / 100;
  size_t k = rank - 1;
  // Quickselect (Hoare partition around the middle value), iterative, in place.
  size_t lo = 0, hi = n - 1;
  while (lo < hi) {
    uint64_t pivot = values[lo + (hi - lo) / 2];
    size_t i = lo, j = hi;
    while (i <= j) {
      while (values[i] < pivot) ++i;
      while (values[j] > pivot) --j;
      if (i <= j) {
        uint64_t t = values[i];
        values[i] = values[j];
        values[j] = t;
        ++i;
        if (j == 0) break;
        --j;
      }
    }
    if (k <= j)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      return values[k];
  }
  return values[k];
}

uint64_t FrameClock::deadline(uint64_t frame) const {
  constexpr uint64_t kSecond = 1'000'000'000;
  // Whole seconds and the remainder separately: no overflow for any frame number reachable.
  return start_ + (frame / hz_) * kSecond + (frame % hz_) * kSecond / hz_;
}

uint64_t FrameClock::next(uint64_t done, uint64_t now, uint64_t& dropped) const {
  uint64_t frame = done + 1;
  dropped = 0;
  while (deadline(frame + 1) <= now) {
    ++frame;
    ++dropped;
  }
  return frame;
}

uint32_t cpu_percent(uint64_t idle_ns, uint64_t window_ns) {
  if (window_ns == 0) return 0;
  if (idle_ns >= window_ns) return 0;
  uint64_t busy = window_ns - idle_ns;
  return static_cast<uint32_t>((busy * 100 + window_ns / 2) / window_ns);
}

uint64_t memory_in_use_kib(uint64_t frames_used, uint64_t heap_pages, uint64_t heap_live_bytes) {
  uint64_t outside = frames_used > heap_pages ? frames_used - heap_pages : 0;
  return outside * 4 + (heap_live_bytes + 1023) / 1024;
}

}  // namespace rayos::compositor
