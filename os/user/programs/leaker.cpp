// leaker pages queues tidy hold_ms: maps `pages` pages (in regions of up to 16), writes every one
// and reads it back, creates `queues` IPC queues with a message in each, and holds it all for
// `hold_ms`. With tidy = 0 it exits holding all of it (the kernel must free it); with tidy = 1 it
// returns everything first.
// Exit 0, or 1 if the kernel refused something it should have granted, 2 if memory lost data.
#include "os/user/runtime/runtime.h"

using namespace rayos::user;

namespace {

constexpr uint64_t kPage = rayos::abi::kPageSize;
constexpr uint64_t kMaxRegions = 16;
constexpr uint64_t kRegionPages = 16;

struct Held {
  uint64_t region[kMaxRegions];
  uint64_t region_pages[kMaxRegions];
  uint64_t regions;
  int64_t queue[8];
  uint64_t queues;
};
constinit Held held{};

}  // namespace

extern "C" uint64_t rayos_main(uint64_t pages, uint64_t queues, uint64_t tidy, uint64_t hold_ms) {
  if (pages > kMaxRegions * kRegionPages || queues > 8) return 1;
  for (uint64_t left = pages; left > 0;) {
    uint64_t n = left < kRegionPages ? left : kRegionPages;
    int64_t address = mem_map(n);
    if (address < 0) return 1;
    held.region[held.regions] = static_cast<uint64_t>(address);
    held.region_pages[held.regions++] = n;
    auto* words = reinterpret_cast<volatile uint64_t*>(address);
    for (uint64_t p = 0; p < n; ++p) words[p * kPage / 8] = address + p;
    for (uint64_t p = 0; p < n; ++p)
      if (words[p * kPage / 8] != address + p) return 2;
    left -= n;
  }
  for (uint64_t q = 0; q < queues; ++q) {
    held.queue[q] = ipc_create(4);
    if (held.queue[q] < 0 || ipc_send(held.queue[q], "held", 4) != 0) return 1;
    ++held.queues;
  }
  log_value("held_pages", pages);
  if (hold_ms != 0 && sleep_ms(hold_ms) != 0) return 1;
  if (tidy == 0) return 0;
  for (uint64_t r = 0; r < held.regions; ++r)
    if (mem_unmap(held.region[r], held.region_pages[r]) != 0) return 1;
  for (uint64_t q = 0; q < held.queues; ++q)
    if (ipc_close(held.queue[q]) != 0) return 1;
  return 0;
}
