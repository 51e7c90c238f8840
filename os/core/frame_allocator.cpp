#include "os/core/frame_allocator.h"

namespace rayos {

uint64_t FrameAllocator::add_free_range(uint64_t base, uint64_t size) {
  if (size == 0 || base >= limit()) return 0;
  uint64_t end = size > limit() - base ? limit() : base + size;
  uint64_t first = (base + kFrameSize - 1) / kFrameSize;
  uint64_t last = end / kFrameSize;  // exclusive
  uint64_t added = 0;
  for (uint64_t frame = first; frame < last; ++frame) {
    if (test(available_, frame)) continue;
    set(available_, frame);
    clear(allocated_, frame);
    ++added;
  }
  stats_.total += added;
  stats_.free += added;
  return added;
}

uint64_t FrameAllocator::reserve_range(uint64_t base, uint64_t size) {
  if (size == 0 || base >= limit()) return 0;
  uint64_t end = size > limit() - base ? limit() : base + size;
  uint64_t removed = 0;
  for (uint64_t frame = base / kFrameSize; frame * kFrameSize < end; ++frame) {
    if (!test(available_, frame)) continue;
    if (!test(allocated_, frame)) --stats_.free;
    clear(available_, frame);
    clear(allocated_, frame);
    --stats_.total;
    ++removed;
  }
  return removed;
}

void FrameAllocator::take(uint64_t frame) {
  set(allocated_, frame);
  --stats_.free;
  ++stats_.allocations;
}

void FrameAllocator::note_used() {
  if (stats_.used() > stats_.peak_used) stats_.peak_used = stats_.used();
}

bool FrameAllocator::allocate(uint64_t& phys) {
  if (stats_.free == 0 || words_ == 0) {
    ++stats_.failed_allocations;
    return false;
  }
  // Next fit from the cursor: the first word is visited twice, its bits from the cursor on first
  // and the ones below it last, after wrapping round.
  size_t start = static_cast<size_t>(cursor_ / 64) % words_;
  uint64_t above_cursor = ~uint64_t{0} << (cursor_ % 64);
  for (size_t n = 0; n <= words_; ++n) {
    size_t word = (start + n) % words_;
    uint64_t candidates = available_[word] & ~allocated_[word];
    if (n == 0) candidates &= above_cursor;
    if (candidates == 0) continue;
    uint64_t frame = word * 64 + static_cast<uint64_t>(__builtin_ctzll(candidates));
    take(frame);
    note_used();
    cursor_ = frame + 1;
    phys = frame * kFrameSize;
    return true;
  }
  ++stats_.failed_allocations;  // not reached while stats_.free is right; kept as a backstop
  return false;
}

bool FrameAllocator::allocate_contiguous(size_t count, uint64_t& phys) {
  uint64_t frames = words_ * 64;
  if (count == 0 || count > stats_.free) {
    ++stats_.failed_allocations;
    return false;
  }
  uint64_t run = 0;
  for (uint64_t frame = 0; frame < frames; ++frame) {
    if (!free_frame(frame)) {
      run = 0;
      continue;
    }
    if (++run < count) continue;
    uint64_t first = frame + 1 - count;
    for (uint64_t f = first; f <= frame; ++f) take(f);
    note_used();
    phys = first * kFrameSize;
    return true;
  }
  ++stats_.failed_allocations;
  return false;
}

FrameFree FrameAllocator::free(uint64_t phys) {
  FrameFree result = FrameFree::kOk;
  if (phys % kFrameSize != 0) {
    result = FrameFree::kUnaligned;
  } else if (phys >= limit()) {
    result = FrameFree::kOutOfRange;
  } else if (!test(available_, phys / kFrameSize) || !test(allocated_, phys / kFrameSize)) {
    result = FrameFree::kNotAllocated;
  }
  if (result != FrameFree::kOk) {
    ++stats_.rejected_frees;
    return result;
  }
  clear(allocated_, phys / kFrameSize);
  ++stats_.free;
  ++stats_.frees;
  return result;
}

FrameFree FrameAllocator::free_contiguous(uint64_t phys, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    FrameFree result = free(phys + i * kFrameSize);
    if (result != FrameFree::kOk) return result;
  }
  return FrameFree::kOk;
}

bool FrameAllocator::is_allocated(uint64_t phys) const {
  if (phys >= limit()) return false;
  uint64_t frame = phys / kFrameSize;
  return test(available_, frame) && test(allocated_, frame);
}

}  // namespace rayos
