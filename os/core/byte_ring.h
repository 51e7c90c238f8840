#pragma once
// A single-producer single-consumer byte ring: the UART interrupt pushes received bytes, the
// shell pops them. Indices are published with atomic builtins so that the consumer never sees a
// slot before its byte (both run on one CPU, but the compiler must not reorder the accesses).
#include <stddef.h>
#include <stdint.h>

namespace rayos {

template <size_t N>
class ByteRing {
  static_assert(N >= 2 && (N & (N - 1)) == 0, "capacity must be a power of two");

 public:
  // False (and the byte dropped, counted) when full.
  bool push(uint8_t byte) {
    size_t head = __atomic_load_n(&head_, __ATOMIC_RELAXED);
    size_t tail = __atomic_load_n(&tail_, __ATOMIC_ACQUIRE);
    if (head - tail == N) {
      __atomic_store_n(&dropped_, dropped_ + 1, __ATOMIC_RELAXED);
      return false;
    }
    buf_[head & (N - 1)] = byte;
    __atomic_store_n(&head_, head + 1, __ATOMIC_RELEASE);
    return true;
  }

  bool pop(uint8_t& byte) {
    size_t tail = __atomic_load_n(&tail_, __ATOMIC_RELAXED);
    size_t head = __atomic_load_n(&head_, __ATOMIC_ACQUIRE);
    if (head == tail) return false;
    byte = buf_[tail & (N - 1)];
    __atomic_store_n(&tail_, tail + 1, __ATOMIC_RELEASE);
    return true;
  }

  bool empty() const {
    return __atomic_load_n(&head_, __ATOMIC_ACQUIRE) == __atomic_load_n(&tail_, __ATOMIC_ACQUIRE);
  }
  // Bytes lost to a full ring since the start.
  size_t dropped() const { return __atomic_load_n(&dropped_, __ATOMIC_RELAXED); }

 private:
  uint8_t buf_[N]{};
  size_t head_ = 0;
  size_t tail_ = 0;
  size_t dropped_ = 0;
};

}  // namespace rayos
