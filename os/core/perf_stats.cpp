#include "os/core/perf_stats.h"

#include "os/core/format.h"

namespace rayos::perf {
namespace {

void sift_down(uint64_t* v, size_t root, size_t end) {
  for (;;) {
    size_t child = 2 * root + 1;
    if (child >= end) return;
    if (child + 1 < end && v[child + 1] > v[child]) ++child;
    if (v[root] >= v[child]) return;
    uint64_t t = v[root];
    v[root] = v[child];
    v[child] = t;
    root = child;
  }
}

}  // namespace

void sort(uint64_t* values, size_t n) {
  if (n < 2) return;
  for (size_t i = n / 2; i-- > 0;) sift_down(values, i, n);
  for (size_t end = n - 1; end > 0; --end) {
    uint64_t t = values[0];
    values[0] = values[end];
    values[end] = t;
    sift_down(values, 0, end);
  }
}

uint64_t nearest_rank(const uint64_t* sorted, size_t n, uint32_t per_mille) {
  uint64_t rank = (uint64_t{per_mille} * n + 999) / 1000;
  if (rank == 0) rank = 1;
  if (rank > n) rank = n;
  return sorted[rank - 1];
}

size_t format_us(uint64_t ns, char* out) {
  size_t len = format_u64(ns / 1000, out);
  out[len++] = '.';
  uint64_t frac = ns % 1000;
  out[len++] = static_cast<char>('0' + frac / 100);
  out[len++] = static_cast<char>('0' + frac / 10 % 10);
  out[len++] = static_cast<char>('0' + frac % 10);
  return len;
}

bool SampleBatch::add(uint64_t value) {
  char digits[kMaxIntChars];
  size_t n = format_u64(value, digits);
  size_t need = n + (count_ > 0 ? 1 : 0);
  if (len_ + need > kCapacity) return false;
  if (count_ > 0) buf_[len_++] = ',';
  for (size_t i = 0; i < n; ++i) buf_[len_++] = digits[i];
  ++count_;
  return true;
}

}  // namespace rayos::perf
