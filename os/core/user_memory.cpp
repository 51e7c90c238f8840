#include "os/core/user_memory.h"

#include "os/core/syscall_abi.h"

namespace rayos {
namespace {

constexpr uint64_t kPage = abi::kPageSize;

// Visits [address, address + size) page by page: chunk(kernel_pointer, offset, length).
template <typename Chunk>
bool for_each_page(UserPages& pages, uint64_t address, size_t size, bool write, Chunk chunk) {
  if (!user_range_valid(address, size)) return false;
  size_t done = 0;
  while (done < size) {
    uint64_t virt = address + done;
    uint64_t in_page = kPage - virt % kPage;
    size_t length = size - done < in_page ? size - done : static_cast<size_t>(in_page);
    uint64_t phys = 0;
    if (!pages.resolve(virt, write, phys)) return false;
    chunk(static_cast<uint8_t*>(pages.frame_pointer(phys)) + virt % kPage, done, length);
    done += length;
  }
  return true;
}

}  // namespace

bool user_range_valid(uint64_t address, uint64_t size) {
  return address < abi::kUserEnd && size <= abi::kUserEnd - address;
}

bool probe_user(UserPages& pages, uint64_t address, size_t size, bool write) {
  return for_each_page(pages, address, size, write, [](uint8_t*, size_t, size_t) {});
}

bool copy_from_user(UserPages& pages, void* destination, uint64_t source, size_t size) {
  auto* out = static_cast<uint8_t*>(destination);
  return for_each_page(pages, source, size, false,
                       [out](const uint8_t* from, size_t offset, size_t length) {
                         __builtin_memcpy(out + offset, from, length);
                       });
}

bool copy_to_user(UserPages& pages, uint64_t destination, const void* source, size_t size) {
  const auto* in = static_cast<const uint8_t*>(source);
  return for_each_page(pages, destination, size, true,
                       [in](uint8_t* to, size_t offset, size_t length) {
                         __builtin_memcpy(to, in + offset, length);
                       });
}

}  // namespace rayos
