// churner seed rounds max_pages: memory churn for the soak — each round maps 1..max_pages pages,
// writes a seeded pattern to a random half of them, checks it, and unmaps the region; it yields
// or sleeps a little between rounds. A refusal (out of memory, quota) is waited out, not fatal.
// Exit 0, or 1 for an unexpected error, 2 if memory lost data.
#include "os/core/prng.h"
#include "os/user/runtime/runtime.h"

using namespace rayos::user;

namespace {

constexpr uint64_t kPage = rayos::abi::kPageSize;

}  // namespace

extern "C" uint64_t rayos_main(uint64_t seed, uint64_t rounds, uint64_t max_pages, uint64_t) {
  rayos::Prng prng(seed);
  for (uint64_t r = 0; r < rounds; ++r) {
    uint64_t pages = 1 + prng.below(max_pages);
    int64_t address = mem_map(pages);
    if (address == rayos::abi::kErrNoMemory || address == rayos::abi::kErrQuota) {
      sleep_ms(1);
      continue;
    }
    if (address < 0) return 1;
    uint64_t mark = prng.next();
    for (uint64_t p = 0; p < pages; p += 1 + prng.below(2))
      *reinterpret_cast<volatile uint64_t*>(address + p * kPage) = mark ^ p;
    for (uint64_t p = 0; p < pages; ++p) {
      uint64_t word = *reinterpret_cast<volatile uint64_t*>(address + p * kPage);
      if (word != 0 && word != (mark ^ p)) return 2;  // untouched pages read as zero
    }
    if (mem_unmap(static_cast<uint64_t>(address), pages) != 0) return 1;
    if (prng.chance(1, 4))
      sleep_ms(1 + prng.below(3));
    else
      yield();
  }
  return 0;
}
