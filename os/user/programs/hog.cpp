// hog expect chunk notify release: maps memory until the kernel says no — chunks of `chunk`
// pages, halved after each refusal down to one page — writing a pattern to every page. Then it
// reports the last error as a message on queue `notify` (if not 0), waits for any message on
// queue `release`, checks the pattern of every page, and exits: 0 if the last error was
// -`expect` (4: out of memory, 5: quota), 1 for another error, 2 if a page lost its pattern.
#include "os/user/runtime/runtime.h"

using namespace rayos::user;

namespace {

constexpr uint64_t kPage = rayos::abi::kPageSize;
constexpr uint64_t kMaxRegions = 64;

struct Region {
  uint64_t address;
  uint64_t pages;
};
constinit Region regions[kMaxRegions]{};

uint64_t pattern(uint64_t address) { return address ^ 0x5a5a5a5a5a5a5a5aull; }

}  // namespace

extern "C" uint64_t rayos_main(uint64_t expect, uint64_t chunk, uint64_t notify, uint64_t release) {
  uint64_t count = 0, total = 0;
  int64_t error = 0;
  while (chunk > 0 && count < kMaxRegions) {
    int64_t address = mem_map(chunk);
    if (address < 0) {
      error = address;
      chunk /= 2;
      continue;
    }
    for (uint64_t p = 0; p < chunk; ++p) {
      uint64_t page = static_cast<uint64_t>(address) + p * kPage;
      *reinterpret_cast<volatile uint64_t*>(page) = pattern(page);
    }
    regions[count++] = Region{static_cast<uint64_t>(address), chunk};
    total += chunk;
  }
  log_value("mapped_pages", total);
  if (notify != 0) {
    if (ipc_send(notify, &error, sizeof error) != 0) return 1;
    char any[rayos::abi::kMaxMessage];
    if (ipc_recv(release, any, sizeof any) < 0) return 1;
  }
  for (uint64_t r = 0; r < count; ++r) {
    for (uint64_t p = 0; p < regions[r].pages; ++p) {
      uint64_t page = regions[r].address + p * kPage;
      if (*reinterpret_cast<volatile uint64_t*>(page) != pattern(page)) return 2;
    }
  }
  return error == -static_cast<int64_t>(expect) ? 0 : 1;
}
